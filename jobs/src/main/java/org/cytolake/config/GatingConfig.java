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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gating strategies of {@code conf/gating/}: one file per panel, either {@code <panel>.yaml} in
 * the compact form ({@link CompactGatingReader}), whose dimensions are the panel's events columns
 * ({@code panels.yaml}), or a lab's own gating, {@code <panel>.wsp} or {@code <panel>.xml} (a
 * FlowJo or FACSDiva workspace, or a Gating-ML 2.0 document on the FCS detectors), moved onto the
 * columns by {@link WorkspaceStrategy} with the optional sidecar {@code
 * <panel>.workspace.yaml}. A panel without a file is not gated.
 *
 * <p>{@link #load} checks every strategy and reports every problem at once: a file that does not
 * parse, a dimension that is not a column of its panel (for a workspace: a channel that maps to no
 * detector of the panel, naming workspace, sample, gate and channel), two strategy files for one
 * panel, a strategy file named for a panel that {@code panels.yaml} lacks. {@link #parse} is how a
 * Spark task turns a {@link #texts()} entry back into the strategy.
 *
 * @param dir the directory read
 * @param texts per panel with a strategy, in {@code panels.yaml} order: what a Spark task parses
 *     again with {@link #parse} (a {@link GatingStrategy} is not serializable): the compact file's
 *     text, or for a workspace a {@link WorkspaceStrategy#envelope} holding it
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

  /** The file name endings of a strategy file, the compact form first. */
  public static final List<String> EXTENSIONS = List.of(".yaml", ".wsp", ".xml");

  private static final Logger LOG = LoggerFactory.getLogger(GatingConfig.class);

  /**
   * The strategy file of a panel: the one of {@code <panel>.yaml}, {@code .wsp}, {@code .xml} that
   * exists (the first when several do), else {@code <panel>.yaml}.
   */
  public static Path file(Path dir, String panel) {
    for (String ext : EXTENSIONS) {
      Path f = dir.resolve(panel + ext);
      if (Files.exists(f)) {
        return f;
      }
    }
    return dir.resolve(panel + ".yaml");
  }

  /**
   * A strategy from a {@link #texts()} entry, as {@link #load} read it: what every Spark task
   * gating a panel calls.
   *
   * @param source the name in messages of the compact form (the panel code)
   * @throws GatingMlException when compact text does not parse
   * @throws IllegalArgumentException when a workspace envelope does not map (load checked it)
   */
  public static GatingStrategy parse(String text, String source) throws GatingMlException {
    return WorkspaceStrategy.isEnvelope(text)
        ? WorkspaceStrategy.parse(text)
        : CompactGatingReader.read(text, source, false);
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
      List<Path> present = new ArrayList<>();
      for (String ext : EXTENSIONS) {
        Path f = dir.resolve(panel.code() + ext);
        if (Files.exists(f)) {
          present.add(f);
        }
      }
      if (present.size() > 1) {
        problems.add(
            "panel "
                + panel.code()
                + " has "
                + present.size()
                + " strategy files, "
                + String.join(" and ", present.stream().map(Path::toString).toList())
                + "; keep one");
        continue;
      }
      Path sidecar = dir.resolve(panel.code() + WorkspaceStrategy.SIDECAR_SUFFIX);
      if (present.isEmpty()) {
        if (Files.exists(sidecar)) {
          problems.add(
              sidecar
                  + ": no workspace "
                  + panel.code()
                  + ".wsp or "
                  + panel.code()
                  + ".xml for it to describe");
        }
        ungated.add(panel.code());
        continue;
      }
      Path file = present.get(0);
      if (!file.toString().endsWith(".yaml")) {
        loadWorkspace(file, sidecar, panel, problems, texts, strategies);
        continue;
      }
      if (Files.exists(sidecar)) {
        problems.add(
            sidecar
                + ": describes a workspace, but the strategy of "
                + panel.code()
                + " is "
                + file);
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
          String code = panelOf(f.getFileName().toString());
          if (code != null && !config.panels().containsKey(code)) {
            problems.add(
                f
                    + ": panel '"
                    + code
                    + "' is not in panels.yaml "
                    + config.panels().keySet()
                    + " (a strategy is named <panel>.yaml, <panel>.wsp or <panel>.xml)");
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

  /** The panel a file of conf/gating/ is named for, or null for a file that is no strategy. */
  private static String panelOf(String name) {
    if (name.endsWith(WorkspaceStrategy.SIDECAR_SUFFIX)) {
      return name.substring(0, name.length() - WorkspaceStrategy.SIDECAR_SUFFIX.length());
    }
    for (String ext : EXTENSIONS) {
      if (name.endsWith(ext)) {
        return name.substring(0, name.length() - ext.length());
      }
    }
    return null;
  }

  /** Reads a workspace strategy into texts and strategies, or its problems into problems. */
  private static void loadWorkspace(
      Path file,
      Path sidecar,
      PanelConfig panel,
      List<String> problems,
      Map<String, String> texts,
      Map<String, GatingStrategy> strategies)
      throws IOException {
    WorkspaceStrategy.Loaded w = WorkspaceStrategy.load(file, sidecar, panel, problems);
    if (w == null) {
      return;
    }
    try {
      EventTable probe = new EventTable(file.toString(), panel.columns(), 0, new double[0], null);
      GateEvaluator.evaluate(w.strategy(), probe);
    } catch (IllegalArgumentException e) {
      problems.add(file + ": " + e.getMessage());
      return;
    }
    w.warnings().forEach(m -> LOG.warn("gating: {}", m));
    texts.put(panel.code(), w.text());
    strategies.put(panel.code(), w.strategy());
  }

  /**
   * One panel's strategy, parsed but not checked against the panel's columns, for a reader that
   * must not fail on another panel's file (the report); a workspace's gates are on its own
   * channels, their populations those of the lake.
   *
   * @return empty when the panel has no strategy file
   * @throws GatingMlException when the file does not parse
   */
  public static Optional<GatingStrategy> read(Path confDir, String panel)
      throws GatingMlException, IOException {
    Path dir = confDir.resolve(DIR);
    Path file = file(dir, panel);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    if (file.toString().endsWith(".yaml")) {
      return Optional.of(CompactGatingReader.read(file));
    }
    return Optional.of(
        WorkspaceStrategy.unmapped(file, dir.resolve(panel + WorkspaceStrategy.SIDECAR_SUFFIX)));
  }
}
