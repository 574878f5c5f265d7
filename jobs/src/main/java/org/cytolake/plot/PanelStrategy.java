package org.cytolake.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cytolake.config.GatingConfig;
import org.cytolake.gating.CompactGatingReader;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingStrategy;

/**
 * A panel's gating strategy as a plot reads it from {@code conf/gating/<panel>.yaml}: parsed, and as its text (what
 * travels to the Spark tasks that decide a population event by event, a {@link GatingStrategy} not being
 * serializable).
 *
 * @param text the file's text
 * @param strategy the strategy it holds
 */
public record PanelStrategy(String text, GatingStrategy strategy) {

  /**
   * Reads the strategy of {@code panel} under {@code conf}.
   *
   * @param population the population the plot shows, or null when only its gates are drawn (for the error message)
   * @throws IllegalArgumentException naming the population (or the gates), the panel and the file when the panel
   *     has no strategy, or with the reader's message when the file is not a valid strategy
   */
  public static PanelStrategy read(Path conf, String panel, String population) throws IOException {
    Path file = GatingConfig.file(conf.resolve(GatingConfig.DIR), panel);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException(
          "Cannot plot "
              + (population != null ? "population '" + population + "'" : "gates")
              + " of panel "
              + panel
              + ": it has no gating strategy "
              + file);
    }
    String text = Files.readString(file);
    try {
      return new PanelStrategy(text, CompactGatingReader.read(text, file.toString(), false));
    } catch (GatingMlException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
