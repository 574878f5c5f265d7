package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ingest-fcs reading from and writing to a real HDFS (MiniDFSCluster on 127.0.0.1). */
class IngestFcsHdfsIT {
  @TempDir static Path dir;
  static MiniDFSCluster cluster;
  static String hdfs;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    cluster = new MiniDFSCluster.Builder(conf, dir.resolve("dfs").toFile()).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void ingestsFromAndIntoHdfs() throws Exception {
    Path home = SharedData.projectDir();
    PanelConfig p1 = CytolakeConfig.load(home.resolve("conf")).panel("P1");
    Path local = dir.resolve("local");
    Files.createDirectories(local);
    List<FcsWriter.Channel> ch = new ArrayList<>();
    p1.channels().forEach(c -> ch.add(FcsWriter.channel(c.detector(), c.marker(), 262144)));
    List<String> fluo = p1.detectors().subList(3, 13);
    double[][] s = new double[10][10];
    for (int i = 0; i < 10; i++) {
      s[i][i] = 1;
    }
    FcsWriter.Spec spec = FcsWriter.spec(ch).withSpillover(new Spillover("$SPILLOVER", fluo, s));
    float[] v = new float[1000 * 14];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 5000;
    }
    FcsWriter.write(local.resolve("X_D1_P1.fcs"), spec, v, 1000);
    v[0] = 1; // different bytes, or the second file would be a DUPLICATE_FILE
    FcsWriter.write(local.resolve("X_D8_P1.fcs"), spec, v, 1000);
    Files.writeString(
        local.resolve("manifest.csv"),
        "file,patient_id,visit,panel\n" + "X_D1_P1.fcs,PAT-X,D1,P1\nX_D8_P1.fcs,PAT-X,D8,P1\n");

    SparkSession spark = SparkTestSession.get();
    FileSystem fs =
        FileSystem.get(new java.net.URI(hdfs), spark.sparkContext().hadoopConfiguration());
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path(hdfs + "/raw"));
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(hdfs + "/raw/X_D1_P1.fcs")));

    IngestFcsJob.Result r =
        IngestFcsJob.run(
            spark,
            new IngestFcsJob.Options(
                hdfs + "/raw",
                hdfs + "/raw/manifest.csv",
                hdfs + "/lake",
                home.resolve("conf"),
                home.resolve("schemas"),
                "hdfs-run"));
    assertEquals(2, r.samplesIngested());
    assertEquals(2000, r.eventsWritten());
    assertEquals(2000, spark.read().parquet(hdfs + "/lake/events_p1").count());
    assertEquals(2, spark.read().parquet(hdfs + "/lake/samples").count());
    assertTrue(
        fs.exists(new org.apache.hadoop.fs.Path(hdfs + "/lake/_runs/hdfs-run/ingest-fcs.json")));
    assertTrue(
        spark
            .read()
            .parquet(hdfs + "/lake/ingest_ledger")
            .first()
            .<String>getAs("path")
            .startsWith("hdfs://"));
  }
}
