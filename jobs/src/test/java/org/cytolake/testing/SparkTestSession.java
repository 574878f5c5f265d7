package org.cytolake.testing;

import org.apache.spark.sql.SparkSession;
import org.cytolake.lake.LocalLakeFileSystem;

/**
 * One shared local[2] SparkSession (UI off, few shuffle partitions; the local file system and
 * listing of {@link org.cytolake.jobs.SparkSessions}) for a test JVM.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("cytolake-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.hadoop.fs.file.impl", LocalLakeFileSystem.class.getName())
              .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "4096")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
