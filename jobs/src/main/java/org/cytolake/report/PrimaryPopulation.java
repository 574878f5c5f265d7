package org.cytolake.report;

import java.io.IOException;
import java.util.Objects;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.GatingConfig;
import org.cytolake.config.Settings;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;

/**
 * The population the report is about ({@code report.primary-panel} and
 * {@code report.primary-population}), resolved against the panel's gating strategy: its full path
 * in the lake's {@code populations} table, its name (the gate id) and its parent's name, which make
 * the report's titles and axes, e.g. "Treg % of CD4" or "B cells % of Leukocytes". Nothing here
 * knows a trial: names come from conf only.
 *
 * @param panel panel code
 * @param configured the configured population: a path or its last segments
 * @param path the full population path when the strategy resolved it, else null
 * @param name the population's name (its gate id)
 * @param parentName its parent's gate id, or {@value #ALL_EVENTS} for a top-level gate
 * @param problem why the configured population could not be resolved, or null
 */
public record PrimaryPopulation(
    String panel, String configured, String path, String name, String parentName, String problem) {
  /** The parent name of a top-level gate: its % of parent is of all events of the sample. */
  public static final String ALL_EVENTS = "all events";

  public PrimaryPopulation {
    Objects.requireNonNull(panel, "panel");
    Objects.requireNonNull(configured, "configured");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parentName, "parentName");
  }

  /** E.g. "Treg % of CD4". */
  public String title() {
    return name + " % of " + parentName;
  }

  /** The y axis of the plots, e.g. "% of CD4". */
  public String axis() {
    return "% of " + parentName;
  }

  /** Whether a population path of the lake is this population. */
  public boolean matches(String populationPath) {
    return path != null
        ? path.equals(populationPath)
        : populationPath.equals(configured) || populationPath.endsWith("/" + configured);
  }

  /**
   * The configured primary population ({@code report.primary-panel} and
   * {@code report.primary-population}, or their deprecated names), resolved against the panel's
   * {@code conf/gating/<panel>.yaml}; a strategy that cannot be read is named with the reason,
   * and the population resolved as without one.
   */
  public static PrimaryPopulation of(CytolakeConfig config) {
    String panel = config.settings().get(Settings.REPORT_PRIMARY_PANEL, Settings.REPORT_TREG_PANEL);
    String population =
        config.settings().get(Settings.REPORT_PRIMARY_POPULATION, Settings.REPORT_TREG_POPULATION);
    GatingStrategy strategy = null;
    String name = "conf/" + GatingConfig.DIR + "/" + panel + ".yaml";
    try {
      strategy = GatingConfig.read(config.dir(), panel).orElse(null);
    } catch (GatingMlException | IOException | RuntimeException e) {
      name += ", which cannot be read: " + e.getMessage();
    }
    return resolve(panel, population, strategy, name);
  }

  /**
   * Resolves {@code configured} (a full path, or its last segments) against the panel's strategy:
   * the population whose path is it or ends with it, helper gates ({@code _...}) left out. Without
   * a strategy, or when no population matches, the names come from the configured path itself (its last segment
   * and the one before), the lake's paths are matched by suffix and {@link #problem} says why.
   *
   * @param strategy the panel's strategy, or null when it has none
   * @param strategyName where the strategy comes from, for the problem text
   */
  public static PrimaryPopulation resolve(
      String panel, String configured, GatingStrategy strategy, String strategyName) {
    String trimmed = configured.trim().replaceAll("^/+|/+$", "");
    if (strategy != null) {
      // Ids are unique, so at most one population's path is the configured one or ends with it.
      for (String p : strategy.populations()) {
        String path = strategy.path(p);
        if (!GatingStrategy.isHelper(p) && (path.equals(trimmed) || path.endsWith("/" + trimmed))) {
          return new PrimaryPopulation(
              panel, trimmed, path, p, strategy.parentOf(p).orElse(ALL_EVENTS), null);
        }
      }
    }
    String[] segments = trimmed.split("/");
    String name = segments[segments.length - 1];
    String parent = segments.length > 1 ? segments[segments.length - 2] : "parent";
    String problem =
        strategy == null
            ? "panel " + panel + " has no gating strategy (" + strategyName + ")"
            : "no population of " + strategyName + " is '" + trimmed + "' or ends with it";
    return new PrimaryPopulation(panel, trimmed, null, name, parent, problem);
  }
}
