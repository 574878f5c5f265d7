package org.cytolake.generate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The protocol visits of TRIAL.md section 1: visit number, planned study day, the window an
 * actual visit may fall in, and what is collected. Flow cytometry is possible at every visit (D5
 * is optional); disease scores at D1, M1, M2, M3, M6 and FU; labs at every visit.
 */
public enum Visit {
  D1(1, 1, 0, true, EffectModel.Group.BASELINE),
  D5(2, 5, 0, false, EffectModel.Group.D5),
  D8(3, 8, 0, false, EffectModel.Group.D8),
  D15(4, 15, 0, false, EffectModel.Group.D15),
  M1(5, 29, 3, true, EffectModel.Group.M1_M2),
  M2(6, 57, 3, true, EffectModel.Group.M1_M2),
  M3(7, 85, 3, true, EffectModel.Group.M3_M6),
  M4(8, 113, 3, false, EffectModel.Group.M3_M6),
  M5(9, 141, 3, false, EffectModel.Group.M3_M6),
  M6(10, 183, 5, true, EffectModel.Group.M3_M6),
  FU(11, 240, 7, true, EffectModel.Group.FU);

  private final int number;
  private final int day;
  private final int windowDays;
  private final boolean score;
  private final EffectModel.Group group;

  Visit(int number, int day, int windowDays, boolean score, EffectModel.Group group) {
    this.number = number;
    this.day = day;
    this.windowDays = windowDays;
    this.score = score;
    this.group = group;
  }

  /** SDTM VISITNUM. */
  public int number() {
    return number;
  }

  /** Planned study day (D1 = day 1). */
  public int day() {
    return day;
  }

  /** An actual visit falls within ± this many days of the plan (then moves off weekends). */
  public int windowDays() {
    return windowDays;
  }

  /** Whether the disease score is assessed. */
  public boolean hasScore() {
    return score;
  }

  /** Which column of the fold-change table applies. */
  public EffectModel.Group group() {
    return group;
  }

  /** The visit with this code (case-insensitive), or null. */
  public static Visit parse(String code) {
    if (code == null) {
      return null;
    }
    try {
      return valueOf(code.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  public static List<String> codes() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
