package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.normalise.NormaliseFcs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class NormaliseFcsCommandTest {

  private static void writeFcs(Path path, long seed, double scale) throws Exception {
    Random r = new Random(seed);
    int n = 500;
    float[] v = new float[3 * n];
    for (int i = 0; i < n; i++) {
      v[3 * i] = i;
      v[3 * i + 1] = (float) (scale * Math.exp(3 + r.nextGaussian()));
      v[3 * i + 2] = (float) (scale * 40 * -Math.log(1 - r.nextDouble()));
    }
    FcsWriter.Spec spec =
        FcsWriter.spec(
                List.of(
                    FcsWriter.channel("Time", null, 1024),
                    FcsWriter.channel("Nd142Di", "CD19", 1024),
                    FcsWriter.channel("Yb174Di", "HLADR", 1024)))
            .withDelimiter('|')
            .withKeywords(
                FcsWriter.keywords("$CYT", "CyTOF", "SITE", "Leiden", "LAB/ROOM", "2/14"));
    FcsWriter.write(path, spec, v, n);
  }

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = CytolakeCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int rc = cli.execute(args);
    return new String[] {Integer.toString(rc), out.toString(), err.toString()};
  }

  @Test
  void writesNormalisedFilesKeepingChannelsAndKeywords(@TempDir Path dir) throws Exception {
    writeFcs(dir.resolve("a1.fcs"), 1, 1);
    writeFcs(dir.resolve("a2.fcs"), 2, 1);
    writeFcs(dir.resolve("b1.fcs"), 3, 2);
    writeFcs(dir.resolve("b2.fcs"), 4, 2);
    Files.writeString(
        dir.resolve("meta.csv"),
        "file_name,reference,batch\na1.fcs,ref,A\na2.fcs,other,A\nb1.fcs,ref,B\nb2.fcs,other,B\n");
    Path out = dir.resolve("out");
    String[] r = run(normaliseFcs(dir, "Nd142Di,Yb174Di", "out", "--quantiles", "49"));
    assertEquals("0", r[0], r[2]);
    assertTrue(r[1].contains("normalised 2 file(s) on 2 channel(s), 2 batch(es)"), r[1]);
    assertTrue(Files.exists(out.resolve("Norm_a2.fcs")));
    assertTrue(Files.exists(out.resolve("Norm_b2.fcs")));
    assertFalse(Files.exists(out.resolve("Norm_a1.fcs")));
    try (FcsFile f = FcsReader.open(out.resolve("Norm_b2.fcs"))) {
      FcsDataset ds = f.first();
      assertEquals("Leiden", ds.keywords().getOrNull("SITE"));
      assertEquals("2/14", ds.keywords().getOrNull("LAB/ROOM"));
      assertEquals("CD19", ds.parameters().get(1).label());
      assertTrue(
          ds.keywords()
              .getOrNull(NormaliseFcs.KEYWORD)
              .contains("quantiles=49 transform=asinh:cofactor=5 goal=batch-mean batch=B"));
    }
    double[] in = NormaliseFcs.read(dir.resolve("b2.fcs")).events().values();
    double[] norm = NormaliseFcs.read(out.resolve("Norm_b2.fcs")).events().values();
    for (int i = 0; i < in.length; i += 3) {
      assertEquals(in[i], norm[i], 0, "Time is not normalised");
    }
    assertTrue(norm[1] < in[1], "batch B (twice as bright) is brought down");
  }

  @Test
  void namesTheBatchWithoutAControlAndTheUnknownChannel(@TempDir Path dir) throws Exception {
    writeFcs(dir.resolve("a1.fcs"), 1, 1);
    writeFcs(dir.resolve("b2.fcs"), 4, 2);
    Files.writeString(
        dir.resolve("meta.csv"), "file_name,reference,batch\na1.fcs,ref,A\nb2.fcs,other,B\n");
    String[] r = run(normaliseFcs(dir, "Nd142Di", "out"));
    assertEquals("3", r[0]);
    assertTrue(r[2].contains("batch 'B' has no control"), r[2]);

    Files.writeString(
        dir.resolve("meta.csv"), "file_name,reference,batch\na1.fcs,ref,A\nb2.fcs,ref,B\n");
    r = run(normaliseFcs(dir, "Nd142Di,Xx999Di", "out"));
    assertEquals("3", r[0]);
    assertTrue(r[2].contains("a1.fcs' of batch 'A' has no channel(s) [Xx999Di]"), r[2]);
    assertTrue(r[2].contains("b2.fcs' of batch 'B' has no channel(s) [Xx999Di]"), r[2]);

    // a file to normalise without a channel: refused before anything is written
    Files.writeString(
        dir.resolve("meta.csv"),
        "file_name,reference,batch\na1.fcs,ref,A\nb2.fcs,ref,B\nthin.fcs,other,B\n");
    FcsWriter.write(
        dir.resolve("thin.fcs"),
        FcsWriter.spec(List.of(FcsWriter.channel("Yb174Di", null, 1024))),
        new float[] {1, 2, 3},
        3);
    r = run(normaliseFcs(dir, "Nd142Di,Yb174Di", "out2"));
    assertEquals("3", r[0]);
    assertTrue(r[2].contains("file 'thin.fcs' has no channel(s) [Nd142Di]"), r[2]);
    assertFalse(Files.exists(dir.resolve("out2")));
  }

  @Test
  void clustersAreRecordedInTheKeywordAndTheirOptionsNeedThem(@TempDir Path dir) throws Exception {
    writeFcs(dir.resolve("a1.fcs"), 1, 1);
    writeFcs(dir.resolve("b1.fcs"), 3, 2);
    writeFcs(dir.resolve("b2.fcs"), 4, 2);
    Files.writeString(
        dir.resolve("meta.csv"),
        "file_name,reference,batch\na1.fcs,ref,A\nb1.fcs,ref,B\nb2.fcs,other,B\n");
    String[] r =
        run(
            normaliseFcs(
                dir,
                "Nd142Di,Yb174Di",
                "out",
                "--clusters",
                "2",
                "--xdim",
                "3",
                "--ydim",
                "3",
                "--min-cluster-events",
                "600"));
    assertEquals("0", r[0], r[2]);
    // 500 control events per batch: every batch and cluster is below 600, each named on stderr
    assertTrue(
        r[2].contains("warning: batch 'A', cluster 1 of 2, every channel: ")
            && r[2].contains("fewer than 600 events; left unnormalised (identity)"),
        r[2]);
    assertTrue(r[1].contains("control events per cluster; batch A: 1="), r[1]);
    try (FcsFile f = FcsReader.open(dir.resolve("out").resolve("Norm_b2.fcs"))) {
      assertTrue(
          f.first()
              .keywords()
              .getOrNull(NormaliseFcs.KEYWORD)
              .contains("goal=batch-mean clusters=2 som=3x3 seed=1 min-events=600 batch=B"));
    }
    // every batch and cluster left as it is: the listed channels are unchanged (float32 round trip)
    double[] in = NormaliseFcs.read(dir.resolve("b2.fcs")).events().values();
    double[] norm = NormaliseFcs.read(dir.resolve("out").resolve("Norm_b2.fcs")).events().values();
    for (int i = 0; i < in.length; i++) {
      assertEquals(in[i], norm[i], 0);
    }

    r = run(normaliseFcs(dir, "Nd142Di,Yb174Di", "out", "--seed", "3", "--xdim", "4"));
    assertEquals("3", r[0]);
    assertTrue(r[2].contains("Cannot use --xdim 4, --seed 3 without --clusters"), r[2]);
    r = run(normaliseFcs(dir, "Nd142Di,Yb174Di", "out", "--clusters", "0"));
    assertEquals("3", r[0]);
    assertTrue(r[2].contains("clusters must be at least 1, not 0"), r[2]);
  }

  /**
   * The arguments of {@code normalise-fcs} on {@code dir}: its {@code meta.csv}, its FCS files,
   * {@code channels} under {@code asinh:cofactor=5}, written to {@code dir/out}; {@code extra}
   * options after those.
   */
  private static String[] normaliseFcs(Path dir, String channels, String out, String... extra) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of(
                "normalise-fcs",
                "--metadata",
                dir.resolve("meta.csv").toString(),
                "--input",
                dir.toString(),
                "--channels",
                channels,
                "--transform",
                "asinh:cofactor=5",
                "--out",
                dir.resolve(out).toString()));
    all.addAll(List.of(extra));
    return all.toArray(String[]::new);
  }
}
