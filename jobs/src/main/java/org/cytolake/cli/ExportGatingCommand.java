package org.cytolake.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.PanelGatingExport;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.Spillover;
import org.cytolake.gating.GatingMlWriter;
import org.cytolake.gating.GatingStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake export-gating}: a panel's strategy as Gating-ML 2.0 on the FCS detectors. */
@Command(
    name = "export-gating",
    mixinStandardHelpOptions = true,
    description = {
      "Write a panel's gating strategy (conf/gating/<panel>.yaml, or a workspace) as a Gating-ML 2.0 document on "
          + "the FCS file's detectors, which any Gating-ML reader (gate-fcs, FlowKit, flowUtils) "
          + "applies to the raw files with the counts cytolake's gate step finds in the lake.",
      "Each events-table column becomes its detector ($PnN) with the panel's transform "
          + "(asinh:cofactor=c as fasinh T=c*sinh(1), M=1/ln 10, A=0; logicle, hyperlog, "
          + "flog, flin as they are) after the panel's compensation (the file's own spillover "
          + "'FCS', a conf matrix, or none). Thresholds stay as written. Helper gates ('_' ids) "
          + "are written too: they are the parents or operands of reported populations.",
      "A panel whose strategy is a workspace (conf/gating/<panel>.wsp or .xml) is written on "
          + "the detectors its channels map to (the sidecar's channels, else the same name), with "
          + "the panel's compensation and each gate's own transformation.",
      "Exit status: 0 written; 3 the strategy has no Gating-ML form (a ratio of columns, a "
          + "transform Gating-ML lacks such as a FlowJo 10 biex axis or a FlowJo 9 display axis), "
          + "each gate and axis named on stderr; 1 other failure."
    })
public final class ExportGatingCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--conf",
      paramLabel = "DIR",
      description = "Configuration directory (default: conf/ of the cytolake installation).")
  Path conf;

  @Option(names = "--panel", required = true, paramLabel = "P", description = "The panel code.")
  String panel;

  @Option(
      names = "--fcs",
      paramLabel = "FILE",
      description =
          "A sample file of the panel: its spillover keyword says which detectors are "
              + "compensated (default: those with a marker in conf/panels.yaml).")
  Path fcs;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.xml",
      description = "The Gating-ML document to write.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path dir = conf != null ? conf : JobOptions.home().resolve("conf");
    CytolakeConfig config = CytolakeConfig.load(dir);
    PanelConfig p = config.panels().get(panel);
    if (p == null) {
      spec.commandLine()
          .getErr()
          .println(
              "Cannot export gating: panel '"
                  + panel
                  + "' is not in "
                  + dir.resolve("panels.yaml")
                  + " "
                  + config.panels().keySet());
      return CliErrors.EXIT_BAD_INPUT;
    }
    GatingStrategy strategy = GatingConfig.load(config).strategies().get(panel);
    if (strategy == null) {
      spec.commandLine()
          .getErr()
          .println(
              "Cannot export gating: panel "
                  + panel
                  + " has no strategy "
                  + GatingConfig.file(dir.resolve(GatingConfig.DIR), panel));
      return CliErrors.EXIT_BAD_INPUT;
    }
    try {
      GatingStrategy onDetectors =
          PanelGatingExport.toDetectors(strategy, p, fcs == null ? null : spillover(fcs));
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      GatingMlWriter.write(onDetectors, out);
      GatingMlWriter.adaptiveWarnings(onDetectors)
          .forEach(w -> spec.commandLine().getErr().println("export-gating: warning: " + w));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return CliErrors.EXIT_BAD_INPUT;
    }
    spec.commandLine()
        .getErr()
        .println(
            "export-gating: wrote "
                + out
                + " ("
                + strategy.gates().size()
                + " gates of panel "
                + panel
                + ")");
    return 0;
  }

  private static Set<String> spillover(Path file) throws java.io.IOException {
    try (FcsFile f = FcsReader.open(file)) {
      return f.datasets()
          .get(0)
          .spillover()
          .map(Spillover::channels)
          .map(TreeSet::new)
          .orElse(new TreeSet<>());
    }
  }
}
