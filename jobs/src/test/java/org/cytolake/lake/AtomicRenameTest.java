package org.cytolake.lake;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class AtomicRenameTest {
  @Test
  void localAndHdfsLakesPublish() {
    for (String scheme : new String[] {"file", "hdfs", "HDFS", "viewfs", "webhdfs"}) {
      assertNull(AtomicRename.check("x", scheme, false), scheme);
    }
  }

  @Test
  void objectStoresAreRefusedSayingWhyAndWhatToDo() {
    for (String scheme : new String[] {"s3a", "s3", "gs", "wasb", "abfs", "oss"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> AtomicRename.check(scheme + "://b/lake", scheme, false));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "Cannot publish to lake '"
                      + scheme
                      + "://b/lake': "
                      + "renames on '"
                      + scheme
                      + ":' are not atomic"),
          e.getMessage());
      assertTrue(
          e.getMessage().contains("HDFS")
              && e.getMessage().contains("lake.accept-non-atomic-rename: true"),
          e.getMessage());
    }
  }

  @Test
  void anAcceptedRiskIsAWarningNotAnError() {
    String w = AtomicRename.check("s3a://b/lake", "s3a", true);
    assertTrue(w.contains("not atomic") && w.contains("accept-non-atomic-rename is true"), w);
  }

  @Test
  void thePublisherRefusesBeforeTouchingTheFileSystem() {
    // No S3 client is on the class path: the refusal must come first, not "No FileSystem".
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TablePublisher("s3a://bucket/lake", new Configuration()));
    assertTrue(e.getMessage().contains("not atomic"), e.getMessage());
    // A path without a scheme is judged by the default file system.
    Configuration gs = new Configuration();
    gs.set("fs.defaultFS", "gs://bucket");
    assertThrows(IllegalArgumentException.class, () -> new TablePublisher("lake", gs));
  }
}
