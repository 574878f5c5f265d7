import java.io.File;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Compares every table of two lakes row by row, leaving out the columns that name a run or a
 * time (run ids, timestamps, durations, report paths). Used to show that a refactoring left the
 * tables of a nightly run on data-samples unchanged:
 *
 * <pre>
 * java @conf/jvm/spark-java17.args -cp "$(ls jobs/target/cytolake-jobs-*[0-9T].jar):$(cat jobs/target/local-classpath.txt)" \
 *   scripts/CompareLakes.java /tmp/lake-before /tmp/lake-after
 * </pre>
 *
 * Prints one line per table (rows, digest, same/DIFFERENT) and exits 1 when any table differs.
 */
public class CompareLakes {
  static final Set<String> VOLATILE = Set.of("run_id", "gating_run_id", "ingest_run_id",
      "started_at", "finished_at", "detected_at", "aggregate_run_id", "ingested_at", "created_at", "written_at", "steps",
      "report_path", "report", "first_seen_run", "last_seen_run", "run", "modification_time", "path",
      "file", "source");

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("compare-lakes")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    Set<String> tables = new TreeSet<>();
    for (String lake : List.of(args[0], args[1])) {
      for (File f : new File(lake).listFiles()) {
        if (f.isDirectory() && !f.getName().startsWith("_") && !f.getName().startsWith(".")) {
          tables.add(f.getName());
        }
      }
    }
    boolean same = true;
    for (String t : tables) {
      String a = digest(spark, args[0] + "/" + t);
      String b = digest(spark, args[1] + "/" + t);
      boolean eq = a.equals(b);
      same &= eq;
      System.out.printf("%-24s %s %s%n", t, eq ? "same     " : "DIFFERENT", eq ? a : a + " vs " + b);
    }
    spark.stop();
    System.exit(same ? 0 : 1);
  }

  static String digest(SparkSession spark, String path) throws Exception {
    if (!new File(path).exists()) {
      return "absent";
    }
    Dataset<Row> d = spark.read().parquet(path);
    List<Column> keep = new ArrayList<>();
    for (String c : d.columns()) {
      if (!VOLATILE.contains(c) && !c.endsWith("_run_id") && !c.endsWith("_at")) {
        keep.add(functions.col(c).cast("string"));
      }
    }
    Column[] cols = keep.toArray(new Column[0]);
    Dataset<Row> s = d.select(cols);
    List<String> rows = new ArrayList<>();
    for (Row r : s.collectAsList()) {
      rows.add(r.mkString("\u0001"));
    }
    rows.sort(null);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (String r : rows) {
      md.update(r.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md.update((byte) '\n');
    }
    return rows.size() + " rows " + HexFormat.of().formatHex(md.digest()).substring(0, 16)
        + " cols " + Arrays.toString(d.columns()).hashCode();
  }
}
