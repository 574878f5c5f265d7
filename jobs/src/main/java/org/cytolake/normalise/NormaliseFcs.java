package org.cytolake.normalise;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;

/**
 * FCS files in and out of a normalisation: {@link #read} takes the first data set's events as
 * stored (no compensation; {@code $PnG} not applied), {@link #write} writes normalised events as
 * float32 FCS 3.1 with the source's channels ({@code $PnN}, {@code $PnS}, {@code $PnR}), its
 * spillover and every other keyword of the source, plus {@link #KEYWORD} stating the normalisation.
 */
public final class NormaliseFcs {
  private NormaliseFcs() {}

  /** The keyword written into every normalised file: the method, its parameters and the batch. */
  public static final String KEYWORD = "CYTOLAKE_NORMALISATION";

  /** Keywords the writer sets itself (FCS 3.1 section 3.2.18 and the {@code $Pn} ones). */
  private static final Set<String> WRITER_SET =
      Set.of(
          "$BEGINANALYSIS",
          "$ENDANALYSIS",
          "$BEGINSTEXT",
          "$ENDSTEXT",
          "$BEGINDATA",
          "$ENDDATA",
          "$BYTEORD",
          "$DATATYPE",
          "$MODE",
          "$NEXTDATA",
          "$PAR",
          "$TOT",
          KEYWORD);

  private static final Pattern WRITER_SET_PN = Pattern.compile("\\$P\\d+([NSBER]|DATATYPE)");

  /** One file read: its events and the data set they came from (for its keywords). */
  public record FcsEvents(Events events, FcsDataset dataset) {}

  /**
   * Reads the first data set of an FCS file.
   *
   * @throws IOException when the file cannot be read, or holds log-amplified ({@code $PnE}) data,
   *     whose stored values are not the measured ones
   */
  public static FcsEvents read(Path fcs) throws IOException {
    try (FcsFile file = FcsReader.open(fcs)) {
      FcsDataset ds = file.first();
      List<FcsParameter> pars = ds.parameters();
      for (FcsParameter p : pars) {
        if (p.isLogAmplified()) {
          throw new IOException(
              "Cannot normalise FCS file '"
                  + fcs
                  + "': parameter "
                  + p.id()
                  + " is log-amplified ($P"
                  + p.index()
                  + "E "
                  + p.decades()
                  + ","
                  + p.logOffset()
                  + "); only linear data are supported");
        }
      }
      double[] all = file.readAll(ds, "normalise");
      List<String> names = pars.stream().map(FcsParameter::id).toList();
      return new FcsEvents(new Events(file.name(), names, all), ds);
    }
  }

  /** The channel names ({@code $PnN}, else {@code Pn}) of the first data set, from TEXT only. */
  public static List<String> channels(Path fcs) throws IOException {
    try (FcsFile file = FcsReader.open(fcs)) {
      return file.first().parameters().stream().map(FcsParameter::id).toList();
    }
  }

  /**
   * Writes {@code events} (normalised from {@code source}) to {@code out} as float32 FCS 3.1.
   *
   * @param provenance the value of {@link #KEYWORD}
   */
  public static void write(Path out, FcsDataset source, Events events, String provenance)
      throws IOException {
    List<FcsParameter> pars = source.parameters();
    List<FcsWriter.Channel> channels = new ArrayList<>();
    for (FcsParameter p : pars) {
      long range =
          Double.isFinite(p.range()) && p.range() >= 1 ? (long) Math.ceil(p.range()) : 262_144;
      channels.add(FcsWriter.channel(p.id(), p.label(), range));
    }
    Map<String, String> keywords = new LinkedHashMap<>();
    for (Map.Entry<String, String> k : source.keywords().asMap().entrySet()) {
      String name = k.getKey();
      if (WRITER_SET.contains(name)
          || WRITER_SET_PN.matcher(name).matches()
          || Spillover.KEYWORDS.contains(name)
          || k.getValue() == null
          || k.getValue().isEmpty()) {
        continue;
      }
      keywords.put(name, k.getValue());
    }
    keywords.put(KEYWORD, provenance);
    FcsWriter.Spec spec =
        FcsWriter.spec(channels)
            .withDelimiter(delimiter(keywords))
            .withKeywords(keywords)
            .withSpillover(source.spillover().orElse(null));
    float[] row = new float[events.values().length];
    for (int i = 0; i < row.length; i++) {
      row[i] = (float) events.values()[i];
    }
    FcsWriter.write(out, spec, row, events.events());
  }

  /**
   * '/', or another TEXT delimiter when a kept keyword's name holds '/' (a name cannot escape it).
   */
  private static char delimiter(Map<String, String> keywords) {
    for (char d : new char[] {'/', '|', '\\', '!', '^'}) {
      if (keywords.keySet().stream().noneMatch(k -> k.indexOf(d) >= 0)) {
        return d;
      }
    }
    return '/'; // every candidate is in some name: the writer names the keyword it refuses
  }
}
