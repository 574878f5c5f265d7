package org.cytolake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateFcs;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingResult;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.ResolvedThreshold;
import org.cytolake.workspace.Workspace;
import org.cytolake.workspace.WorkspaceException;
import org.cytolake.workspace.WorkspaceGating;
import org.cytolake.workspace.WorkspaceReader;
import org.cytolake.workspace.WorkspaceSample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cytolake gate-fcs}: applies a Gating-ML 2.0 document to one FCS file. */
@Command(
    name = "gate-fcs",
    mixinStandardHelpOptions = true,
    description = {
      "Apply a Gating-ML 2.0 document (gates, with its compensation and transforms) to an FCS file "
          + "and write per-event membership.",
      "Events are read linearized ($PnE) and divided by $PnG, as the Gating-ML compliance results "
          + "were made. The CSV has one 0/1 column per population (gate id; a quadrant gate's "
          + "quadrant ids), parents applied, one row per event in file order; it goes to --out, or "
          + "to standard output when neither --out nor --json is given.",
      "Exit status: 0 done; 3 malformed Gating-ML or FCS file, or a document that does not fit "
          + "the file (one line on stderr naming the file and the reason); 1 other failure."
    })
public final class GateFcsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--gating",
      paramLabel = "FILE.xml",
      description = "The Gating-ML 2.0 document (.xml), or the compact form (.yaml, .yml, .json).")
  Path gating;

  @Option(
      names = "--workspace",
      paramLabel = "FILE",
      description =
          "A FlowJo 10/X (.wsp), FlowJo 9 (.xml) or FACSDiva (.xml) workspace instead of --gating: "
              + "its own gates, compensation and axes are applied to each --fcs, and one JSON object "
              + "per file is printed: {\"file\", \"sample\", \"events\", \"counts\": "
              + "{\"<population path>\": n, ...}}.")
  Path workspace;

  @Option(
      names = "--sample",
      paramLabel = "NAME",
      description =
          "With --workspace: the workspace sample (name or id) to apply; by default the sample "
              + "whose FCS file name is the file's.")
  String sample;

  @Option(
      names = "--fcs",
      required = true,
      arity = "1..*",
      paramLabel = "FILE",
      description = "The FCS file (several with --workspace).")
  List<Path> fcsFiles;

  private Path fcs;

  @Option(names = "--out", paramLabel = "FILE.csv", description = "Write the membership CSV here.")
  Path out;

  @Option(
      names = "--json",
      description =
          "Print {\"events\": N, \"counts\": {\"<gate id>\": n, ...}} on standard output.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if ((gating == null) == (workspace == null)) {
      err.println("Cannot gate: give exactly one of --gating and --workspace");
      err.flush();
      return 2;
    }
    if (workspace != null) {
      return workspaceCounts(err, stdout);
    }
    if (fcsFiles.size() != 1) {
      err.println("Cannot gate: --gating takes one --fcs, not " + fcsFiles.size());
      err.flush();
      return 2;
    }
    fcs = fcsFiles.get(0);
    for (Path p : List.of(gating, fcs)) {
      if (!Files.isRegularFile(p)) {
        err.println("Cannot read '" + p + "': no such file");
        err.flush();
        return 1;
      }
    }
    GatingStrategy strategy;
    try {
      strategy = GateFcs.readStrategy(gating);
    } catch (GatingMlException e) {
      return bad(err, e.getMessage());
    } catch (IOException e) {
      err.println("Cannot read gating file '" + gating + "': " + e.getMessage());
      err.flush();
      return 1;
    }
    GatingResult result;
    try {
      result = GateFcs.apply(strategy, EventTable.read(fcs));
    } catch (FcsFormatException e) {
      return bad(err, e.getMessage());
    } catch (IOException e) {
      err.println("Cannot read FCS file '" + fcs + "': " + e.getMessage());
      err.flush();
      return 1;
    } catch (IllegalArgumentException e) {
      return bad(
          err,
          "Cannot apply Gating-ML file '"
              + gating
              + "' to FCS file '"
              + fcs
              + "': "
              + e.getMessage());
    }
    for (ResolvedThreshold t : result.thresholds()) {
      err.println(
          "gate-fcs: gate '"
              + t.gate()
              + "' "
              + t.side()
              + " on '"
              + t.dimension()
              + "' = "
              + t.threshold()
              + " ("
              + t.method()
              + (t.fallbackUsed() ? ", FALLBACK" : "")
              + ": "
              + t.detail()
              + ")");
    }
    err.flush();
    try {
      if (out != null) {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
          writeCsv(result, w);
        }
      } else if (!json) {
        writeCsv(result, stdout);
      }
      if (json) {
        stdout.println(new ObjectMapper().writeValueAsString(counts(result)));
      }
      stdout.flush();
      return 0;
    } catch (IOException e) {
      err.println("Cannot write '" + out + "': " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  /** --workspace: one JSON object per FCS file, each with its sample's counts by population path. */
  private int workspaceCounts(PrintWriter err, PrintWriter stdout) {
    for (Path p : fcsFiles) {
      if (!Files.isRegularFile(p)) {
        err.println("Cannot read '" + p + "': no such file");
        err.flush();
        return 1;
      }
    }
    if (!Files.isRegularFile(workspace)) {
      err.println("Cannot read '" + workspace + "': no such file");
      err.flush();
      return 1;
    }
    try {
      Workspace ws = WorkspaceReader.read(workspace);
      ObjectMapper mapper = new ObjectMapper();
      for (Path p : fcsFiles) {
        String file = p.getFileName().toString();
        WorkspaceSample s = pick(ws, file);
        Map<String, Integer> counts = WorkspaceGating.counts(s, EventTable.read(p));
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("file", file);
        o.put("sample", s.name());
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        counts.forEach(c::put);
        o.put("events", eventsOf(p));
        o.set("counts", c);
        stdout.println(mapper.writeValueAsString(o));
      }
      stdout.flush();
      return 0;
    } catch (WorkspaceException | FcsFormatException e) {
      return bad(err, e.getMessage());
    } catch (IOException e) {
      err.println("Cannot read '" + workspace + "' or its FCS files: " + e.getMessage());
      err.flush();
      return 1;
    }
  }

  private static long eventsOf(Path fcsFile) throws IOException {
    try (var f = org.cytolake.fcs.FcsReader.open(fcsFile)) {
      return f.first().eventCount();
    }
  }

  private WorkspaceSample pick(Workspace ws, String file) throws WorkspaceException {
    if (sample != null) {
      return ws.sample(sample)
          .orElseThrow(
              () ->
                  new WorkspaceException(
                      "Cannot find sample '"
                          + sample
                          + "' in workspace '"
                          + ws.source()
                          + "' (samples: "
                          + ws.samples().stream().map(WorkspaceSample::name).toList()
                          + ")"));
    }
    List<WorkspaceSample> byFile =
        ws.samples().stream()
            .filter(s -> s.fcsName().equals(file) || s.name().equals(file))
            .toList();
    if (byFile.size() == 1) {
      return byFile.get(0);
    }
    if (ws.samples().size() == 1) {
      return ws.samples().get(0);
    }
    throw new WorkspaceException(
        "Cannot choose a sample of workspace '"
            + ws.source()
            + "' for FCS file '"
            + file
            + "': "
            + (byFile.isEmpty() ? "none names it" : byFile.size() + " name it")
            + "; give --sample (samples: "
            + ws.samples().stream().map(s -> s.name() + " (id " + s.id() + ")").toList()
            + ")");
  }

  private static int bad(PrintWriter err, String message) {
    err.println(message.replace('\n', ' '));
    err.flush();
    return CytolakeCli.EXIT_BAD_INPUT;
  }

  /** The CSV: a header of population ids, then one row of 0/1 per event. */
  public static void writeCsv(GatingResult result, Writer w) throws IOException {
    List<String> pops = result.populations();
    w.write(String.join(",", pops.stream().map(GateFcsCommand::csvField).toList()));
    w.write('\n');
    BitSet[] sets = pops.stream().map(result::events).toArray(BitSet[]::new);
    char[] row = new char[Math.max(1, 2 * sets.length)];
    for (int e = 0; e < result.events(); e++) {
      for (int g = 0; g < sets.length; g++) {
        row[2 * g] = sets[g].get(e) ? '1' : '0';
        row[2 * g + 1] = g == sets.length - 1 ? '\n' : ',';
      }
      w.write(row, 0, 2 * sets.length);
    }
    w.flush();
  }

  /**
   * {@code {"events": N, "counts": {...}}}, populations in document order, and for a strategy with
   * data-adaptive limits {@code "thresholds": [{gate, dimension, side, threshold, method,
   * fallback_used, detail}, ...]} as found in the file.
   */
  public static ObjectNode counts(GatingResult result) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("events", result.events());
    ObjectNode c = o.putObject("counts");
    for (String p : result.populations()) {
      c.put(p, result.count(p));
    }
    if (!result.thresholds().isEmpty()) {
      var ts = o.putArray("thresholds");
      for (ResolvedThreshold t : result.thresholds()) {
        ObjectNode j = ts.addObject();
        j.put("gate", t.gate());
        j.put("dimension", t.dimension());
        j.put("side", t.side());
        j.put("threshold", t.threshold());
        j.put("method", t.method());
        j.put("fallback_used", t.fallbackUsed());
        j.put("detail", t.detail());
      }
    }
    return o;
  }

  private static String csvField(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }
}
