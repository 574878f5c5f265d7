package org.cytolake.gating;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Applies a Gating-ML document to an FCS file: the one code path of {@code cytolake gate-fcs} and of the Gating-ML
 * compliance test. Stages: read the document → read the events ({@link EventTable#read}, linearized with $PnG
 * scaling) → evaluate every population ({@link GateEvaluator}).
 */
public final class GateFcs {
  private GateFcs() {}

  /** Reads both files and applies the document. */
  public static GatingResult apply(Path gating, Path fcs) throws IOException, GatingMlException {
    return apply(readStrategy(gating), EventTable.read(fcs));
  }

  /**
   * Reads a gating file: the compact form ({@link CompactGatingReader}) for names ending in .yaml, .yml or .json,
   * Gating-ML 2.0 XML ({@link GatingMlReader}) for any other.
   */
  public static GatingStrategy readStrategy(Path gating) throws IOException, GatingMlException {
    String name = gating.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean compact = name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    return compact ? CompactGatingReader.read(gating) : GatingMlReader.read(gating);
  }

  /** Applies a strategy to events already read (the test reads each file once). */
  public static GatingResult apply(GatingStrategy strategy, EventTable events) {
    return GateEvaluator.evaluate(strategy, events);
  }
}
