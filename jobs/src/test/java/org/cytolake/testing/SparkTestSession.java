package org.cytolake.testing;

import org.apache.spark.sql.SparkSession;
import org.cytolake.jobs.SparkSessions;

/**
 * One shared local[2] SparkSession (UI off, few shuffle partitions; the defaults of {@link
 * SparkSessions#defaults}: local file system, listing, code generation) for a test JVM.
 */
public final class SparkTestSession {
  private static SparkSession session;

  private SparkTestSession() {}

  public static synchronized SparkSession get() {
    if (session == null) {
      SparkSession.Builder b =
          SparkSession.builder()
              .master("local[2]")
              .appName("cytolake-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "4")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1");
      SparkSessions.defaults().forEach(b::config);
      session = b.getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
