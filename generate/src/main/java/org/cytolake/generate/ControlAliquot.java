package org.cytolake.generate;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.TrialPlan.Encoding;
import org.cytolake.generate.TrialPlan.Patient;
import org.cytolake.generate.TrialPlan.Sample;

/**
 * The daily control aliquot ({@code --control-aliquot}): one vial of frozen PBMC of one healthy
 * donor, the same lot, thawed and acquired on every run day for every panel acquired that day, as
 * labs do so that batch effects can be measured and normalised (CytoNorm: Van Gassen et al.,
 * Cytometry A 2020;97:268-278).
 *
 * <p>One file per run day and panel, {@code fcs/<date>/CONTROL_<date>_<panel>.fcs}, acquired with
 * that day's {@link Instrument} state (gains: slow drift, daily noise, setup change; the same
 * spillover) in the encoding of that day's regular patient files (the commonest; a tie goes to
 * the earlier {@link Encoding}, FCS 3.1 first), after the day's patient files (so that their
 * acquisition times do not move). Each holds the panel's configured number of events ({@link
 * Panel#events}: no log-normal count), no injected acquisition anomaly (margin events that
 * saturate on their own are marked as in any file) and no deliberate fault: {@code
 * --bad-fraction} never touches a control, because controls are planned after the faults.
 *
 * <p>The donor's biology is drawn once from the seed ({@link Biology#healthyDonor}, stream {@code
 * control-biology}) as a healthy untreated baseline and is the same on every day: there is no
 * aliquot-to-aliquot variation, so two control files of a panel differ only by event sampling, by
 * the per-file debris, doublet and dead fractions every file draws ({@link PopulationSimulator})
 * and by the instrument. Each file draws its events from its own stream, keyed {@code
 * control|<date>|<panel>}, so enabling controls changes no patient file.
 *
 * <p>The donor is not a trial patient: it has no clinical records and no demographics; its
 * manifest rows name patient {@value #DONOR_ID} at visit {@value #VISIT}, and its FCS files carry
 * the donor id where patient files carry the patient's name ({@code $SRC}, {@code PATIENT_NAME}).
 *
 * <p>With {@code --validation-aliquot}, a second aliquot of the same donor is acquired on each
 * run day for each panel, for measuring normalisation on a file it did not train on (CytoNorm's
 * Control_2): {@code fcs/<date>/CONTROL_<date>_<panel>_validation.fcs}, the same biology, the same
 * day's instrument and encoding, its own event stream {@code control|<date>|<panel>|validation};
 * the validation files come after all the day's training controls (later acquisition times) and
 * their manifest rows say {@value #VALIDATION} in the {@value #MANIFEST_COLUMN} column. The
 * training files are unchanged by it.
 */
final class ControlAliquot {
  private ControlAliquot() {}

  /** The donor's id in manifest.csv and in the FCS keywords. */
  static final String DONOR_ID = "CTRL-DONOR-01";

  /** The visit column of a control's manifest row. */
  static final String VISIT = "CTRL";

  /** Name of the manifest column that tells control rows ({@code true}) from patient rows. */
  static final String MANIFEST_COLUMN = "control";

  /**
   * The {@value #MANIFEST_COLUMN} value of a validation aliquot's row, the suffix of its file name
   * and of its stream key.
   */
  static final String VALIDATION = "validation";

  /** Whose biology a control has: a baseline, with no treatment effect. */
  static final Visit BIOLOGY_VISIT = Visit.D1;

  /** The donor as the plan knows it: no cohort, no visit dates, no demographics, not in DM. */
  static final Patient DONOR =
      new Patient(-1, null, 0, DONOR_ID, DONOR_ID, Map.of(), null, 0, null, null, null, false);

  /**
   * The control files of a plan: one per run day of {@code acquired} and panel acquired that day,
   * by date then panel order, numbered on from {@code acquired.size()}; with {@code
   * --validation-aliquot} followed by the validation files, in the same order.
   *
   * @param acquired every other file of the trial, in plan order
   */
  static List<Sample> samples(GenerateOptions o, List<Sample> acquired) {
    Map<LocalDate, List<Sample>> byDay = new TreeMap<>();
    for (Sample s : acquired) {
      byDay.computeIfAbsent(s.date(), d -> new ArrayList<>()).add(s);
    }
    List<Sample> out = new ArrayList<>();
    for (Map.Entry<LocalDate, List<Sample>> day : byDay.entrySet()) {
      LocalDate date = day.getKey();
      Encoding encoding = encoding(day.getValue());
      for (Panel panel : PanelModel.PANELS) {
        if (day.getValue().stream().noneMatch(s -> s.panel() == panel)) {
          continue;
        }
        out.add(sample(acquired.size() + out.size(), date, panel, encoding, o, ""));
      }
    }
    if (o.validationAliquot()) {
      for (Sample t : List.copyOf(out)) {
        out.add(
            sample(acquired.size() + out.size(), t.date(), t.panel(), t.encoding(), o, VALIDATION));
      }
    }
    return out;
  }

  /** One control file; {@code aliquot} is empty for the training one, else its suffix. */
  private static Sample sample(
      int seq, LocalDate date, Panel panel, Encoding encoding, GenerateOptions o, String aliquot) {
    String file = "CONTROL_" + date + "_" + panel.id() + (aliquot.isEmpty() ? "" : "_" + aliquot);
    String stream = "control|" + date + "|" + panel.id() + (aliquot.isEmpty() ? "" : "|" + aliquot);
    return new Sample(
        seq,
        "fcs/" + date + "/" + file + ".fcs",
        DONOR,
        BIOLOGY_VISIT,
        panel,
        date,
        stream,
        false,
        true,
        false,
        encoding,
        null,
        null,
        0,
        null,
        panel.events(o.eventsPerSample()),
        null);
  }

  /** Whether {@code s} is a validation aliquot's file (a control the normalisation must not use). */
  static boolean validation(Sample s) {
    return s.control() && s.stream().endsWith("|" + VALIDATION);
  }

  /**
   * The {@value #MANIFEST_COLUMN} cell of a manifest row: {@value #VALIDATION}, {@code true} for a
   * training control, {@code false} for a patient's file.
   */
  static String manifestValue(Sample s) {
    return validation(s) ? VALIDATION : Boolean.toString(s.control());
  }

  /** The donor's state: the same for every control file. */
  static Biology.SampleState state(Biology biology) {
    return biology.sample(biology.healthyDonor(DONOR_ID), BIOLOGY_VISIT);
  }

  /** The commonest encoding of a day's regular files; ties to the earlier, none to FCS 3.1. */
  private static Encoding encoding(List<Sample> day) {
    Map<Encoding, Integer> counts = new EnumMap<>(Encoding.class);
    day.stream().filter(Sample::regular).forEach(s -> counts.merge(s.encoding(), 1, Integer::sum));
    Encoding best = Encoding.FCS31_F32_LE;
    for (Map.Entry<Encoding, Integer> e : counts.entrySet()) {
      if (e.getValue() > counts.getOrDefault(best, 0)) {
        best = e.getKey();
      }
    }
    return best;
  }
}
