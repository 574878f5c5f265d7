package org.cytolake.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.cytolake.fcs.FcsWriter;

/**
 * {@code cytolake generate --study stim-cytof}: the minimal, non-TRANSREG example study whose
 * configuration is {@code examples/stim-cytof/conf/}. Healthy donors, each measured twice on one
 * CyTOF-like panel ({@link StimCytofModel}): unstimulated (the baseline) and stimulated. Writes
 * only what such a study has:
 *
 * <ul>
 *   <li>{@code fcs/<donor>_<condition>.fcs}: FCS 3.0, float32 little-endian, as CyTOF software
 *       exports, no {@code $SPILLOVER};
 *   <li>{@code manifest.csv}: {@code file,patient_id,visit,panel}, the condition as visit;
 *   <li>{@code clinical/dm.csv}: the patients (SDTM DM): {@code STUDYID,USUBJID,AGE,SEX,DISEASE},
 *       every donor's DISEASE {@value #DISEASE}; no other clinical domain.
 * </ul>
 *
 * Deterministic: the same options (but {@code out} and {@code overwrite}) give byte-identical
 * files.
 */
public final class StimCytofStudy {
  private StimCytofStudy() {}

  /** The study's name for {@code generate --study}. */
  public static final String NAME = "stim-cytof";

  /** Its one panel (conf: panels.yaml, gating/PBMC.yaml). */
  public static final String PANEL = "PBMC";

  /** The conditions, baseline first, as visits.yaml lists them. */
  public static final String UNSTIM = "unstim";

  public static final String STIM = "stim";
  public static final List<String> CONDITIONS = List.of(UNSTIM, STIM);

  /** DM DISEASE of every donor (cohorts.yaml maps it to cohort HD). */
  public static final String DISEASE = "Healthy donor";

  public static final String STUDY_ID = "STIM-CYTOF";

  public static final int DONORS_DEFAULT = 8;
  public static final int EVENTS_PER_SAMPLE_DEFAULT = 10_000;
  public static final int DONORS_MAX = 99;
  public static final int EVENTS_PER_SAMPLE_MAX = 10_000_000;
  static final String MANIFEST_HEADER = "file,patient_id,visit,panel";
  static final String DM_HEADER = "STUDYID,USUBJID,AGE,SEX,DISEASE";

  /** Paths the generator owns under the output directory ({@code overwrite} replaces them). */
  static final List<String> OUTPUTS = List.of("fcs", "clinical", "manifest.csv");

  /**
   * What to write.
   *
   * @param out output directory (created; must be empty unless {@code overwrite})
   * @param donors donors (two files each)
   * @param eventsPerSample events of every file
   * @param seed the seed every draw derives from
   * @param overwrite whether to replace the generator's outputs in a non-empty {@code out}
   */
  public record Options(Path out, int donors, int eventsPerSample, long seed, boolean overwrite) {
    /** Every problem with the options (empty when they are fine). */
    public List<String> problems() {
      List<String> p = new ArrayList<>();
      if (out == null) {
        p.add("--out is required");
      }
      if (donors < 1 || donors > DONORS_MAX) {
        p.add("--patients (donors) must be 1-" + DONORS_MAX + ", not " + donors);
      }
      if (eventsPerSample < 1 || eventsPerSample > EVENTS_PER_SAMPLE_MAX) {
        p.add(
            "--events-per-sample must be 1-" + EVENTS_PER_SAMPLE_MAX + ", not " + eventsPerSample);
      }
      return p;
    }
  }

  /** What was written: donors, FCS files, events, seconds of wall-clock time. */
  public record Result(Path out, int donors, int fcsFiles, long events, double seconds) {}

  /** The donor id (DM USUBJID, manifest patient_id) of donor {@code i} (1-based). */
  public static String donorId(int i) {
    return String.format(Locale.ROOT, "SC-%02d", i);
  }

  /** The events of one file, as written (tests compare them with the gating). */
  public static StimCytofModel.Events events(long seed, int donor, String condition, int events) {
    if (!CONDITIONS.contains(condition)) {
      throw new IllegalArgumentException(
          "Cannot simulate condition '" + condition + "': not one" + " of " + CONDITIONS);
    }
    return StimCytofModel.simulate(
        seed,
        StimCytofModel.donor(seed, donorId(donor)),
        condition,
        condition.equals(STIM),
        events);
  }

  /** The FCS file of a donor's sample, relative to the output directory. */
  public static String file(int donor, String condition) {
    return "fcs/" + donorId(donor) + "_" + condition + ".fcs";
  }

  /**
   * Writes the study.
   *
   * @param log receives progress lines
   * @throws IllegalArgumentException listing every problem with the options, or when the output
   *     directory is not empty and {@code overwrite} is off
   */
  public static Result run(Options o, Consumer<String> log) throws IOException {
    long t0 = System.nanoTime();
    List<String> problems = o.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot generate study " + NAME + ": " + String.join("; ", problems));
    }
    TrialGenerator.prepare(o.out(), o.overwrite(), OUTPUTS);
    log.accept(
        String.format(
            Locale.ROOT,
            "generate %s: %d donors x %s, %d events per file, " + "seed %d",
            NAME,
            o.donors(),
            CONDITIONS,
            o.eventsPerSample(),
            o.seed()));
    Files.createDirectories(o.out().resolve("fcs"));
    Files.createDirectories(o.out().resolve("clinical"));
    List<FcsWriter.Channel> channels =
        StimCytofModel.CHANNELS.stream()
            .map(c -> FcsWriter.channel(c.detector(), c.marker(), 65536))
            .toList();
    FcsWriter.Spec spec =
        FcsWriter.spec(channels)
            .withVersion("FCS3.0")
            .withKeywords(Map.of("$CYT", "CyTOF-like (cytolake generate --study " + NAME + ")"));
    StringBuilder manifest = new StringBuilder(MANIFEST_HEADER).append('\n');
    StringBuilder dm = new StringBuilder(DM_HEADER).append('\n');
    long events = 0;
    for (int d = 1; d <= o.donors(); d++) {
      String id = donorId(d);
      SplittableRandom r = Seeds.random(o.seed(), NAME, "dm", id);
      dm.append(
              Csv.line(
                  STUDY_ID,
                  id,
                  Integer.toString(25 + r.nextInt(41)),
                  r.nextBoolean() ? "F" : "M",
                  DISEASE))
          .append('\n');
      for (String condition : CONDITIONS) {
        StimCytofModel.Events ev = events(o.seed(), d, condition, o.eventsPerSample());
        String file = file(d, condition);
        FcsWriter.write(o.out().resolve(file), spec, ev.values(), ev.events());
        manifest.append(Csv.line(file, id, condition, PANEL)).append('\n');
        events += ev.events();
      }
      log.accept("generate " + NAME + ": donor " + id + " written");
    }
    Files.writeString(o.out().resolve("manifest.csv"), manifest, StandardCharsets.UTF_8);
    Files.writeString(o.out().resolve("clinical/dm.csv"), dm, StandardCharsets.UTF_8);
    double seconds = (System.nanoTime() - t0) / 1e9;
    log.accept(
        String.format(
            Locale.ROOT,
            "generate %s: done, %d FCS files, %d events in %.1f s",
            NAME,
            2 * o.donors(),
            events,
            seconds));
    return new Result(o.out(), o.donors(), 2 * o.donors(), events, seconds);
  }
}
