package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.SpectrumMatrix;
import org.cytolake.testing.SharedData;
import org.cytolake.testing.SparkTestSession;
import org.cytolake.workspace.WorkspaceGating;
import org.cytolake.workspace.WorkspaceReader;
import org.cytolake.workspace.WorkspaceSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gate} with a real lab's workspace as a panel's strategy: the FACSDiva PE_2 export (tube
 * 124500) and the FlowJo 9.2 A2004 workspace (sample 2) of {@code ../shared/real/flowjo}, each as
 * {@code conf/gating/<panel>.xml} with a sidecar naming its sample, their FCS files ingested into a
 * lake by {@code ingest-fcs} with a panel of every channel (fluorescence asinh:cofactor=150). The
 * lake's {@code populations} counts are those {@link WorkspaceGating} gives on the FCS file, the
 * counts of README's parity table.
 *
 * <p>Two settings make the lake's events those the workspace software gated: {@code
 * qc.use-flagged-events: true} (by default {@code gate} leaves out the events acquisition QC
 * flags, which FlowJo and DIVA count), and for A2004 {@code spillover: {source: conf}} with the
 * workspace's own matrix (its file's {@code SPILL} is the identity; FlowJo's is the analyst's).
 */
class RealWorkspaceGateIT {
  @TempDir static Path dir;

  private static final String DIVA = "real/flowjo/diva-pe2/";
  private static final String FJ92 = "real/flowjo/fj92-a2004/";

  /** A panel entry for an FCS file's channels: fluorescence asinh:cofactor=150, the rest linear. */
  private static String panel(String code, List<String> detectors, SpectrumMatrix conf) {
    StringBuilder p = new StringBuilder("  ").append(code).append(":\n    name: ").append(code);
    p.append("\n    channels:\n");
    for (String det : detectors) {
      boolean linear =
          det.startsWith("FSC") || det.startsWith("SSC") || det.equalsIgnoreCase("Time");
      String column = det.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
      p.append("      - {detector: \"")
          .append(det)
          .append("\", column: ")
          .append(column)
          .append(", transform: \"")
          .append(linear ? "none" : "asinh:cofactor=150")
          .append("\"}\n");
    }
    if (conf != null) {
      p.append("    spillover:\n      source: conf\n      channels: [");
      p.append(String.join(", ", conf.detectors().stream().map(d -> "\"" + d + "\"").toList()));
      p.append("]\n      matrix:\n");
      double[][] m = conf.coefficients();
      for (double[] row : m) {
        List<String> v = new ArrayList<>();
        for (double x : row) {
          v.add(Double.toString(x));
        }
        p.append("        - [").append(String.join(", ", v)).append("]\n");
      }
    }
    return p.toString();
  }

  private static Map<String, Integer> lakeCounts(SparkSession spark, Path lake, String panel) {
    Map<String, Integer> out = new TreeMap<>();
    for (Row r :
        spark
            .read()
            .parquet(lake.resolve("populations").toString())
            .filter("panel = '" + panel + "'")
            .select("population", "count")
            .collectAsList()) {
      out.put(r.getString(0), ((Number) r.get(1)).intValue());
    }
    return out;
  }

  @Test
  void realWorkspacesGateTheLakeAsTheirFcsFiles() throws Exception {
    Path diva = SharedData.sharedOrSkip(DIVA);
    Path fj92 = SharedData.sharedOrSkip(FJ92);
    SparkSession spark = SparkTestSession.get();
    Path home = SharedData.projectDir();

    WorkspaceSample tube =
        WorkspaceReader.read(diva.resolve("PE_2.xml")).samples().stream()
            .filter(s -> s.fcsName().equals("124500.fcs"))
            .findFirst()
            .orElseThrow();
    WorkspaceSample two =
        WorkspaceReader.read(fj92.resolve("A2004Analysis.xml")).sample("2").orElseThrow();
    EventTable divaFcs = EventTable.read(diva.resolve("124500.fcs"));
    EventTable fj92Fcs = EventTable.read(fj92.resolve("a2004_O1T2pb05i_A2_A02.fcs"));
    Map<String, Integer> divaExpected = new TreeMap<>(WorkspaceGating.counts(tube, divaFcs));
    Map<String, Integer> fj92Expected = new TreeMap<>(WorkspaceGating.counts(two, fj92Fcs));

    Path trial = dir.resolve("trial");
    Files.createDirectories(trial.resolve("fcs"));
    Files.copy(diva.resolve("124500.fcs"), trial.resolve("fcs/124500.fcs"));
    Files.copy(fj92.resolve("a2004_O1T2pb05i_A2_A02.fcs"), trial.resolve("fcs/a2004_A2_A02.fcs"));
    Files.writeString(
        trial.resolve("manifest.csv"),
        "file,patient_id,visit,panel\n"
            + "fcs/124500.fcs,PE2-001,V1,DIVA\n"
            + "fcs/a2004_A2_A02.fcs,A2004-2,V1,FJ92\n");

    Path conf = dir.resolve("conf");
    Files.createDirectories(conf.resolve("gating"));
    Files.writeString(
        conf.resolve("panels.yaml"),
        "panels:\n"
            + panel("DIVA", divaFcs.channels(), null)
            + panel("FJ92", fj92Fcs.channels(), two.compensation()));
    Files.writeString(conf.resolve("visits.yaml"), "baseline: V1\nvisits:\n  - {code: V1}\n");
    Files.writeString(conf.resolve("cytolake.yaml"), "qc.use-flagged-events: true\n");
    Files.copy(diva.resolve("PE_2.xml"), conf.resolve("gating/DIVA.xml"));
    Files.writeString(
        conf.resolve("gating/DIVA.workspace.yaml"), "sample: \"" + tube.name() + "\"\n");
    Files.copy(fj92.resolve("A2004Analysis.xml"), conf.resolve("gating/FJ92.xml"));
    Files.writeString(conf.resolve("gating/FJ92.workspace.yaml"), "sample: \"2\"\n");

    Path lake = dir.resolve("lake");
    IngestFcsJob.Result in =
        IngestFcsJob.run(
            spark,
            new IngestFcsJob.Options(
                trial.toString(),
                trial.resolve("manifest.csv").toString(),
                lake.toString(),
                conf,
                home.resolve("schemas"),
                "real-ws-fcs"));
    System.out.println("ingest-fcs: " + in);
    GateJob.Result r =
        GateJob.run(
            spark,
            new GateJob.Options(lake.toString(), conf, home.resolve("schemas"), "real-ws-gate"));
    assertEquals(List.of("DIVA", "FJ92"), r.panels());

    Map<String, Integer> divaLake = lakeCounts(spark, lake, "DIVA");
    Map<String, Integer> fj92Lake = lakeCounts(spark, lake, "FJ92");
    System.out.println("FACSDiva tube 124500: on the FCS file " + divaExpected);
    System.out.println("FACSDiva tube 124500: in the lake     " + divaLake);
    System.out.println("FlowJo 9.2 sample 2: on the FCS file " + fj92Expected);
    System.out.println("FlowJo 9.2 sample 2: in the lake     " + fj92Lake);
    assertEquals(divaExpected, divaLake);
    assertEquals(fj92Expected, fj92Lake);
    // README's parity table
    assertEquals(17_870, divaLake.get("P1"));
    assertEquals(1_099, divaLake.get("P1/P2/P3/P4/P5"));
    assertEquals(34_431, fj92Lake.get("Live"));
    assertEquals(1_733, fj92Lake.get("Live/APC/B Cell"));
    assertTrue(fj92Lake.size() >= 19, fj92Lake.toString());
  }
}
