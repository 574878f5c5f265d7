package org.cytolake.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staged publication, journals and recovery, on the local file system. */
class TablePublisherTest {
  @TempDir Path lake;
  final Configuration conf = new Configuration();

  /** Writes files under a fresh staging directory of {@code table}: relative path -> content. */
  org.apache.hadoop.fs.Path stage(TablePublisher p, String table, Map<String, String> files)
      throws IOException {
    org.apache.hadoop.fs.Path staged = p.newStaging(table);
    Path dir = Path.of(staged.toUri().getPath());
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = dir.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
    }
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("_SUCCESS"), "");
    return staged;
  }

  Map<String, String> tree(String table) throws IOException {
    Map<String, String> out = new TreeMap<>();
    Path dir = lake.resolve(table);
    if (!Files.exists(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        if (!name.startsWith(".") && !name.startsWith("_")) {
          out.put(dir.relativize(f).toString(), Files.readString(f));
        }
      }
    }
    return out;
  }

  @Test
  void replacesATableAsAWholeAndLeavesNoStaging() throws IOException {
    TablePublisher p = new TablePublisher(lake.toString(), conf);
    p.publish(
        stage(p, "t", Map.of("a.parquet", "1", "b.parquet", "2")),
        "t",
        0,
        TablePublisher.Mode.REPLACE_TABLE);
    p.publish(stage(p, "t", Map.of("c.parquet", "3")), "t", 0, TablePublisher.Mode.REPLACE_TABLE);
    assertEquals(Map.of("c.parquet", "3"), tree("t"));
    assertTrue(isEmpty(lake.resolve(TablePublisher.STAGING)));
    assertTrue(isEmpty(lake.resolve(TablePublisher.JOURNALS)));
    assertTrue(isEmpty(lake.resolve(TablePublisher.TRASH)));
  }

  @Test
  void replacesOnlyThePartitionsItHasAndAppendsAndDeletes() throws IOException {
    TablePublisher p = new TablePublisher(lake.toString(), conf);
    p.publish(
        stage(
            p,
            "e",
            Map.of(
                "visit=D1/sample_id=S1/x.parquet",
                "old1",
                "visit=D1/sample_id=S2/x.parquet",
                "old2")),
        "e",
        2,
        TablePublisher.Mode.REPLACE_PARTITIONS);
    p.publish(
        stage(
            p,
            "e",
            Map.of(
                "visit=D1/sample_id=S2/y.parquet",
                "new2",
                "visit=D8/sample_id=S3/y.parquet",
                "new3")),
        "e",
        2,
        TablePublisher.Mode.REPLACE_PARTITIONS);
    assertEquals(
        Map.of(
            "visit=D1/sample_id=S1/x.parquet",
            "old1",
            "visit=D1/sample_id=S2/y.parquet",
            "new2",
            "visit=D8/sample_id=S3/y.parquet",
            "new3"),
        tree("e"));
    p.deletePartitions("e", List.of("visit=D1/sample_id=S1"));
    assertEquals(
        Map.of(
            "visit=D1/sample_id=S2/y.parquet", "new2", "visit=D8/sample_id=S3/y.parquet", "new3"),
        tree("e"));
    p.publish(stage(p, "runs", Map.of("r1.parquet", "1")), "runs", 0, TablePublisher.Mode.APPEND);
    p.publish(stage(p, "runs", Map.of("r2.parquet", "2")), "runs", 0, TablePublisher.Mode.APPEND);
    assertEquals(Map.of("r1.parquet", "1", "r2.parquet", "2"), tree("runs"));
    assertThrows(
        IllegalArgumentException.class,
        () -> p.publish(stage(p, "t", Map.of()), "t", 0, TablePublisher.Mode.REPLACE_PARTITIONS));
  }

  @Test
  void aRelativeLakePathPublishesPartitions() throws IOException {
    Path cwd = Path.of("").toAbsolutePath();
    String relative = cwd.relativize(lake).toString();
    TablePublisher p = new TablePublisher(relative, conf);
    p.publish(
        stage(p, "q", Map.of("job=a/x.parquet", "1")),
        "q",
        1,
        TablePublisher.Mode.REPLACE_PARTITIONS);
    assertEquals(Map.of("job=a/x.parquet", "1"), tree("q"));
  }

  @Test
  void recoveryRollsAnInterruptedPublicationForward() throws IOException {
    TablePublisher p = new TablePublisher(lake.toString(), conf);
    p.publish(
        stage(p, "e", Map.of("k=1/x.parquet", "old1", "k=2/x.parquet", "old2")),
        "e",
        1,
        TablePublisher.Mode.REPLACE_PARTITIONS);
    // A run died after its journal and the first half of the first swap: k=1 is in the trash,
    // the staged k=1 and k=2 are not moved yet.
    org.apache.hadoop.fs.Path staged =
        stage(p, "e", Map.of("k=1/y.parquet", "new1", "k=2/y.parquet", "new2"));
    String id = staged.getParent().getName();
    Path trash = lake.resolve(TablePublisher.TRASH).resolve(id).resolve("e");
    Files.createDirectories(trash);
    Files.move(lake.resolve("e/k=1"), trash.resolve("k=1"));
    String stagedDir = staged.toString();
    TablePublisher.Journal j =
        new TablePublisher.Journal(
            id,
            "e",
            List.of(
                new TablePublisher.Move(
                    stagedDir + "/k=1",
                    lake.resolve("e/k=1").toUri().toString(),
                    trash.resolve("k=1").toUri().toString()),
                new TablePublisher.Move(
                    stagedDir + "/k=2",
                    lake.resolve("e/k=2").toUri().toString(),
                    trash.resolve("k=2").toUri().toString())));
    Files.createDirectories(lake.resolve(TablePublisher.JOURNALS));
    Files.write(
        lake.resolve(TablePublisher.JOURNALS).resolve(id + ".json"),
        new ObjectMapper().writeValueAsBytes(j));
    // Readers now see k=2 (old, complete) and no k=1: never a partial partition.
    assertEquals(Map.of("k=2/x.parquet", "old2"), tree("e"));
    // An abandoned staging directory without a journal goes too.
    stage(p, "other", Map.of("z.parquet", "orphan"));

    assertEquals(1, p.recover());
    assertEquals(Map.of("k=1/y.parquet", "new1", "k=2/y.parquet", "new2"), tree("e"));
    assertTrue(isEmpty(lake.resolve(TablePublisher.STAGING)));
    assertTrue(isEmpty(lake.resolve(TablePublisher.JOURNALS)));
    assertTrue(isEmpty(lake.resolve(TablePublisher.TRASH)));
    assertEquals(0, p.recover(), "nothing left to roll forward");
  }

  static boolean isEmpty(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
