import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cytolake.stats.Wasserstein;

/**
 * The batch effect left between the control aliquots of a lake, per channel, before and after
 * {@code cytolake normalise} (BENCHMARKS.md "Batch normalisation and adaptive gates on the realistic
 * trial"). Args: LAKE PANEL SETUP_CHANGE COLUMN... (e.g. {@code /tmp/lake P1 2015-09-14 cd25
 * cd127}). For each control role (validation: held out; training: the splines' own reference, so
 * circular) and each table (events_<panel>, events_norm_<panel> when present), the clean events
 * (qc_flag = 0) of every control sample are read with DuckDB, and per column the 1-D Earth Mover's
 * Distance ({@link Wasserstein#oneDimensional}) of every pair of samples of that role is averaged:
 * over all pairs (the controls are one per run day, so all pairs are from different days) and over
 * the pairs whose days lie on either side of the setup change. The last column is a floor: the mean
 * EMD of a day's training and validation aliquots before normalisation (the same donor, day and
 * instrument: no batch effect). Run with DuckDB's JDBC jar and the core module's classes on the
 * class path.
 */
public class NormEmd {
  public static void main(String[] a) throws Exception {
    String lake = a[0];
    String panel = a[1].toLowerCase();
    String change = a[2];
    List<String> cols = Arrays.asList(a).subList(3, a.length);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      Map<String, Boolean> after = new LinkedHashMap<>();
      Map<String, String> role = new LinkedHashMap<>();
      Map<String, String> date = new LinkedHashMap<>();
      try (ResultSet r =
          s.executeQuery(
              "select sample_id, control, cast(acquisition_date as varchar) d, acquisition_date >= DATE '"
                  + change
                  + "' a from read_parquet('"
                  + lake
                  + "/samples/**/*.parquet') where control is not null and lower(panel) = '"
                  + panel
                  + "' order by acquisition_date, sample_id")) {
        while (r.next()) {
          role.put(r.getString(1), r.getString(2));
          date.put(r.getString(1), r.getString(3));
          after.put(r.getString(1), r.getBoolean(4));
        }
      }
      boolean norm =
          new java.io.File(lake + "/events_norm_" + panel).isDirectory();
      List<String> tables = new ArrayList<>(List.of("events_" + panel));
      if (norm) {
        tables.add("events_norm_" + panel);
      }
      Map<String, Map<String, double[][]>> raw = new LinkedHashMap<>();
      for (String rl : List.of("validation", "training")) {
        Map<String, Map<String, double[][]>> byTable = new LinkedHashMap<>();
        for (String t : tables) {
          byTable.put(t, load(s, lake, t, cols, role, rl));
        }
        if (rl.equals("validation")) {
          raw.put("validation", byTable.get("events_" + panel));
        } else {
          raw.put("training", byTable.get("events_" + panel));
        }
        String label =
            rl.equals("validation")
                ? "validation controls (held out)"
                : "training controls (CIRCULAR: the splines are fitted on them)";
        Map<String, double[][]> first = byTable.get("events_" + panel);
        long before = first.keySet().stream().filter(after::get).count();
        System.out.printf(
            "%s: %d samples (%d before %s, %d from it on), %s%n",
            label, first.size(), first.size() - before, change, before, tables);
        System.out.println(
            "column | all pairs: raw | normalised | ratio | pairs across the setup change: raw |"
                + " normalised | ratio");
        double[] sums = new double[6];
        for (int k = 0; k < cols.size(); k++) {
          double[] all = new double[2];
          double[] across = new double[2];
          for (int ti = 0; ti < tables.size(); ti++) {
            Map<String, double[][]> m = byTable.get(tables.get(ti));
            List<String> ids = new ArrayList<>(m.keySet());
            double sumAll = 0;
            double sumAcross = 0;
            int nAll = 0;
            int nAcross = 0;
            for (int i = 0; i < ids.size(); i++) {
              for (int j = i + 1; j < ids.size(); j++) {
                double d =
                    Wasserstein.oneDimensional(m.get(ids.get(i))[k], m.get(ids.get(j))[k]);
                sumAll += d;
                nAll++;
                if (!after.get(ids.get(i)).equals(after.get(ids.get(j)))) {
                  sumAcross += d;
                  nAcross++;
                }
              }
            }
            all[ti] = sumAll / nAll;
            across[ti] = sumAcross / nAcross;
          }
          String line =
              norm
                  ? String.format(
                      "%s | %.4f | %.4f | %.2f | %.4f | %.4f | %.2f",
                      cols.get(k),
                      all[0],
                      all[1],
                      all[1] / all[0],
                      across[0],
                      across[1],
                      across[1] / across[0])
                  : String.format(
                      "%s | %.4f | - | - | %.4f | - | -", cols.get(k), all[0], across[0]);
          System.out.println(line);
          sums[0] += all[0];
          sums[1] += all[1];
          sums[2] += across[0];
          sums[3] += across[1];
        }
        int n = cols.size();
        System.out.printf(
            "mean over %d columns | %.4f | %.4f | %.2f | %.4f | %.4f | %.2f%n%n",
            n,
            sums[0] / n,
            sums[1] / n,
            sums[1] / sums[0],
            sums[2] / n,
            sums[3] / n,
            sums[3] / sums[2]);
      }
      // the floor: a day's two aliquots, raw
      Map<String, double[][]> v = raw.get("validation");
      Map<String, double[][]> t = raw.get("training");
      Map<String, String> trainingOfDay = new LinkedHashMap<>();
      t.keySet().forEach(id -> trainingOfDay.put(date.get(id), id));
      System.out.println(
          "floor: the same day's training vs validation aliquot, events_" + panel + " (no batch effect)");
      System.out.println("column | mean EMD over days | days");
      for (int k = 0; k < cols.size(); k++) {
        double sum = 0;
        int days = 0;
        for (String id : v.keySet()) {
          String tr = trainingOfDay.get(date.get(id));
          if (tr != null) {
            sum += Wasserstein.oneDimensional(v.get(id)[k], t.get(tr)[k]);
            days++;
          }
        }
        System.out.printf("%s | %.4f | %d%n", cols.get(k), sum / days, days);
      }
    }
  }

  /** sample id → per column its clean events (sorted), for the samples of one control role. */
  private static Map<String, double[][]> load(
      Statement s,
      String lake,
      String table,
      List<String> cols,
      Map<String, String> role,
      String wanted)
      throws Exception {
    Map<String, List<float[]>> rows = new LinkedHashMap<>();
    role.forEach((id, r) -> {
      if (r.equals(wanted)) {
        rows.put(id, new ArrayList<>());
      }
    });
    String sql =
        "select sample_id, "
            + String.join(", ", cols)
            + " from read_parquet('"
            + lake
            + "/"
            + table
            + "/**/*.parquet', hive_partitioning = true) where qc_flag = 0 and sample_id in ('"
            + String.join("', '", rows.keySet())
            + "')";
    try (ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        float[] e = new float[cols.size()];
        for (int k = 0; k < e.length; k++) {
          e[k] = r.getFloat(k + 2);
        }
        rows.get(r.getString(1)).add(e);
      }
    }
    Map<String, double[][]> out = new LinkedHashMap<>();
    rows.forEach(
        (id, ev) -> {
          if (ev.isEmpty()) {
            System.out.println("note: no clean events of " + id + " in " + table + "; left out");
            return;
          }
          double[][] byCol = new double[cols.size()][ev.size()];
          for (int i = 0; i < ev.size(); i++) {
            for (int k = 0; k < cols.size(); k++) {
              byCol[k][i] = ev.get(i)[k];
            }
          }
          for (double[] col : byCol) {
            Arrays.sort(col);
          }
          out.put(id, byCol);
        });
    return out;
  }
}
