package org.cytolake.gating;

import java.util.Objects;

/**
 * One dimension of a gate: an FCS parameter ({@code data-type:fcs-dimension}, by {@code $PnN}) or a derived one
 * ({@code data-type:new-dimension}, the value of a ratio transformation), with optional transformation and the
 * compensation to apply first.
 *
 * @param name the {@code $PnN} name (or a fluorochrome of a spectrum matrix); null for a new dimension
 * @param ratioRef for a new dimension, the id of the ratio {@link Transformation} that defines it; else null
 * @param transformationRef id of a scale {@link Transformation} applied to the value (after the ratio of a new
 *     dimension), or null
 * @param compensationRef {@link #UNCOMPENSATED}, {@link #FCS} (the file's spillover) or a spectrum matrix id
 */
public record Dimension(
    String name, String ratioRef, String transformationRef, String compensationRef) {

  /** Compensation reference meaning: use the values as they are. */
  public static final String UNCOMPENSATED = "uncompensated";

  /** Compensation reference meaning: the spillover matrix stored in the FCS file ($SPILLOVER/SPILL). */
  public static final String FCS = "FCS";

  /** An FCS dimension. */
  public static Dimension fcs(String name, String transformationRef, String compensationRef) {
    return new Dimension(name, null, transformationRef, compensationRef);
  }

  public Dimension {
    Objects.requireNonNull(compensationRef, "compensationRef");
    if ((name == null) == (ratioRef == null)) {
      throw new IllegalArgumentException(
          "Cannot create dimension: it needs either an FCS name or a ratio, not "
              + (name == null ? "neither" : "both"));
    }
  }

  /** Whether this is a {@code new-dimension} (its value comes from a ratio transformation). */
  public boolean isDerived() {
    return ratioRef != null;
  }

  /** How the dimension reads, e.g. {@code FL2-H} or {@code fratio:FL2Rat1}. */
  public String label() {
    return name != null ? name : "new-dimension:" + ratioRef;
  }
}
