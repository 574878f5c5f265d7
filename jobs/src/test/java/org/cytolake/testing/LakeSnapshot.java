package org.cytolake.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The contents of a lake as readers see them: every leaf directory of Parquet files (a table, or
 * one partition of a partitioned table) with its rows as sorted strings. Directories whose path
 * has a segment starting with {@code _} or {@code .} (staging, journals, state, reports) are not
 * read, as Spark, DuckDB and pandas skip them.
 */
public final class LakeSnapshot {
  /** Columns that name a run or the time it ran: they differ between lakes, nothing else may. */
  public static final Set<String> RUN_COLUMNS =
      Set.of(
          "run_id",
          "gating_run_id",
          "ingest_run_id",
          "ingested_at",
          "detected_at",
          "first_run_id",
          "last_run_id",
          "last_seen_at",
          "aggregate_run_id",
          "created_run_id",
          "report",
          "started_at",
          "finished_at",
          "steps");

  private LakeSnapshot() {}

  /** The lake's contents without {@link #RUN_COLUMNS}. */
  public static Map<String, List<String>> of(SparkSession spark, Path lake) {
    return of(spark, lake, RUN_COLUMNS);
  }

  /** The lake's contents, every column included. */
  public static Map<String, List<String>> withRunColumns(SparkSession spark, Path lake) {
    return of(spark, lake, Set.of());
  }

  public static Map<String, List<String>> of(SparkSession spark, Path lake, Set<String> drop) {
    Map<String, List<String>> out = new TreeMap<>();
    if (!Files.isDirectory(lake)) {
      return out;
    }
    List<Path> leaves = new ArrayList<>();
    try (Stream<Path> s = Files.walk(lake)) {
      s.filter(Files::isDirectory)
          .forEach(
              d -> {
                String rel = lake.relativize(d).toString();
                if (rel.isEmpty()
                    || rel.startsWith("_")
                    || rel.startsWith(".")
                    || rel.contains("/_")
                    || rel.contains("/.")) {
                  return;
                }
                try (Stream<Path> f = Files.list(d)) {
                  if (f.anyMatch(x -> x.getFileName().toString().endsWith(".parquet"))) {
                    leaves.add(d);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Path d : leaves) {
      Dataset<Row> t = spark.read().parquet(d.toString());
      for (String c : t.columns()) {
        if (drop.contains(c)) {
          t = t.drop(c);
        }
      }
      List<String> rows = new ArrayList<>();
      for (Row r : t.collectAsList()) {
        rows.add(r.toString());
      }
      rows.sort(null);
      out.put(lake.relativize(d).toString(), rows);
    }
    return out;
  }

  /** Fails naming the first table or partition that differs ({@code runs} is left out). */
  public static void assertSame(
      Map<String, List<String>> expected, Map<String, List<String>> actual, String what) {
    Map<String, List<String>> e = new TreeMap<>(expected);
    Map<String, List<String>> a = new TreeMap<>(actual);
    e.keySet().removeIf(k -> k.equals("runs") || k.startsWith("runs/"));
    a.keySet().removeIf(k -> k.equals("runs") || k.startsWith("runs/"));
    org.junit.jupiter.api.Assertions.assertEquals(
        e.keySet(), a.keySet(), what + ": tables and partitions");
    for (String k : e.keySet()) {
      org.junit.jupiter.api.Assertions.assertEquals(e.get(k), a.get(k), what + ": " + k);
    }
  }
}
