package org.cytolake.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.tables.DataDictionary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cytolake data-dictionary}: regenerate schemas/DATA_DICTIONARY.md from the contracts. */
@Command(
    name = "data-dictionary",
    mixinStandardHelpOptions = true,
    description =
        "Write the Markdown data dictionary of every table (from schemas/*.schema.json "
            + "and the panels of conf/panels.yaml).")
public final class DataDictionaryCommand implements Callable<Integer> {
  @Mixin JobOptions job;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write it (default: schemas/DATA_DICTIONARY.md; '-' for stdout).")
  String out;

  @Override
  public Integer call() throws Exception {
    CytolakeConfig config = CytolakeConfig.load(job.confDir());
    String md = DataDictionary.render(job.schemasDir(), List.copyOf(config.panels().values()));
    if ("-".equals(out)) {
      System.out.print(md);
    } else {
      Path p = out != null ? Path.of(out) : job.schemasDir().resolve("DATA_DICTIONARY.md");
      Files.writeString(p, md);
      System.err.println("wrote " + p);
    }
    return 0;
  }
}
