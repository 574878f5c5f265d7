package org.cytolake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cytolake.bench.SizingModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cytolake bench-sizing}: the sizing model of the night, fitted on measured nights. */
@Command(
    name = "bench-sizing",
    mixinStandardHelpOptions = true,
    description = {
      "Fit the sizing model of the nightly run on measured nights (the JSON results of "
          + "'bench --only nightly --out FILE', on local[N] or local-cluster[W,C,M] masters) "
          + "and print it as Markdown: each step's seconds as fixed + per file·F + "
          + "(per file per core·F + per event per core·E) / P, non-negative terms; each run "
          + "against the fit; the predicted night at --predict-events on --predict-cores.",
      "Runs nothing: reads the results only."
    })
public final class BenchSizingCommand implements Callable<Integer> {
  @Parameters(paramLabel = "RESULT.json", arity = "2..*", description = "Nights to fit on.")
  List<Path> results;

  @Option(
      names = "--held-out",
      paramLabel = "RESULT.json",
      split = ",",
      description = "Nights checked against the model but not fitted on.")
  List<Path> heldOut = new ArrayList<>();

  @Option(
      names = "--predict-events",
      split = ",",
      paramLabel = "N",
      defaultValue = "1000000000,10000000000",
      description = "Events of the predicted nights (default: ${DEFAULT-VALUE}).")
  List<Long> events;

  @Option(
      names = "--predict-cores",
      split = ",",
      paramLabel = "P",
      defaultValue = "10,100,1000",
      description = "Executor cores of the predicted nights (default: ${DEFAULT-VALUE}).")
  List<Integer> cores;

  @Option(
      names = "--events-per-file",
      paramLabel = "N",
      defaultValue = "100000",
      description = "Events per FCS file of the predicted nights (default: ${DEFAULT-VALUE}).")
  long eventsPerFile;

  @Override
  public Integer call() throws Exception {
    if (eventsPerFile < 1
        || events.stream().anyMatch(e -> e < 1)
        || cores.stream().anyMatch(c -> c < 1)) {
      System.err.println(
          "Cannot fit: --events-per-file, --predict-events and --predict-cores must be >= 1");
      return 2;
    }
    SizingModel.Fit fit = SizingModel.fit(read(results));
    System.out.print(SizingModel.markdown(fit, read(heldOut), events, cores, eventsPerFile));
    return 0;
  }

  private static List<SizingModel.Run> read(List<Path> files) throws java.io.IOException {
    ObjectMapper json = new ObjectMapper();
    List<SizingModel.Run> runs = new ArrayList<>();
    for (Path p : files) {
      String name = p.getFileName().toString().replaceFirst("\\.json$", "");
      runs.add(SizingModel.run(name, json.readTree(Files.readString(p))));
    }
    return runs;
  }
}
