package org.cytolake.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.EventTable;
import org.cytolake.gating.GateEvaluator;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;

/**
 * The gating strategies of {@code conf/gating/}: one file per panel, {@code <panel>.yaml}, in the
 * compact form ({@link CompactGatingReader}), whose dimensions are the panel's events columns
 * ({@code panels.yaml}). A panel without a file is not gated. Other files (a Gating-ML
 * {@code .xml}, say) are not read.
 *
 * <p>{@link #load} checks every strategy and reports every problem at once: a file that does not
 * parse, a dimension that is not a column of its panel, a {@code .yaml} file named for a panel
 * that {@code panels.yaml} lacks.
 *
 * @param dir the directory read
 * @param texts per panel with a strategy, in {@code panels.yaml} order: the file's text (what a
 *     Spark task parses again: a {@link GatingStrategy} is not serializable)
 * @param strategies the same strategies, parsed
 * @param ungated the panels without a strategy file, in {@code panels.yaml} order
 */
public record GatingConfig(
    Path dir,
    Map<String, String> texts,
    Map<String, GatingStrategy> strategies,
    List<String> ungated) {

  /** The directory of the strategies in a conf directory. */
  public static final String DIR = "gating";

  public GatingConfig {
    texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
    strategies = Collections.unmodifiableMap(new LinkedHashMap<>(strategies));
    ungated = List.copyOf(ungated);
  }

  /** The strategy file of a panel. */
  public static Path file(Path dir, String panel) {
    return dir.resolve(panel + ".yaml");
  }

  /** Loads and checks {@code conf/gating/} of {@code config}'s directory. */
  public static GatingConfig load(CytolakeConfig config) throws IOException {
    return load(config.dir().resolve(DIR), config);
  }

  /**
   * Loads and checks the strategies in {@code dir} against the panels of {@code config}.
   *
   * @throws IllegalArgumentException naming every problem, each with its file
   * @throws IOException when a file cannot be read
   */
  public static GatingConfig load(Path dir, CytolakeConfig config) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    Map<String, GatingStrategy> strategies = new LinkedHashMap<>();
    List<String> ungated = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (PanelConfig panel : config.panels().values()) {
      Path file = file(dir, panel.code());
      if (!Files.exists(file)) {
        ungated.add(panel.code());
        continue;
      }
      String text = Files.readString(file);
      try {
        GatingStrategy s = CompactGatingReader.read(text, file.toString(), false);
        EventTable probe = new EventTable(file.toString(), panel.columns(), 0, new double[0], null);
        GateEvaluator.evaluate(s, probe);
        texts.put(panel.code(), text);
        strategies.put(panel.code(), s);
      } catch (GatingMlException e) {
        problems.add(e.getMessage());
      } catch (IllegalArgumentException e) {
        problems.add(
            file
                + ": "
                + e.getMessage()
                + " (columns of "
                + panel.eventsTable()
                + ": "
                + panel.columns()
                + ")");
      }
    }
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path f : files.sorted().toList()) {
          String name = f.getFileName().toString();
          String code = name.endsWith(".yaml") ? name.substring(0, name.length() - 5) : null;
          if (code != null && !config.panels().containsKey(code)) {
            problems.add(
                f
                    + ": panel '"
                    + code
                    + "' is not in panels.yaml "
                    + config.panels().keySet()
                    + " (a strategy is named <panel>.yaml)");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot gate: "
              + problems.size()
              + " problem(s) in the gating strategies:\n  "
              + String.join("\n  ", problems));
    }
    return new GatingConfig(dir, texts, strategies, ungated);
  }

  /**
   * One panel's strategy, parsed but not checked against the panel's columns, for a reader that
   * must not fail on another panel's file (the report).
   *
   * @return empty when the panel has no strategy file
   * @throws GatingMlException when the file does not parse
   */
  public static Optional<GatingStrategy> read(Path confDir, String panel)
      throws GatingMlException, IOException {
    Path file = file(confDir.resolve(DIR), panel);
    return Files.exists(file) ? Optional.of(CompactGatingReader.read(file)) : Optional.empty();
  }
}
