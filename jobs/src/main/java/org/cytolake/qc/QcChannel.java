package org.cytolake.qc;

import java.util.Objects;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.cytometry.transform.Identity;
import org.cytolake.cytometry.transform.Transform;

/**
 * One channel of a sample given to the QC: its name, detector range and the transform under which
 * its per-bin statistics are computed.
 *
 * @param name {@code $PnN}
 * @param range {@code $PnR}: values {@code >= range - 1} are at the top of the detector range; NaN
 *     when unknown (then there is no upper margin check)
 * @param transform applied to values before the per-bin statistics (raw values are compared with
 *     the range)
 */
public record QcChannel(String name, double range, Transform transform) {

  /** Cofactor of asinh on the 18-bit scale (range 262144) of current digital cytometers. */
  public static final double FLOW_COFACTOR = 150;

  /** Cofactor of asinh for mass cytometry counts. */
  public static final double MASS_COFACTOR = 5;

  public QcChannel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(transform, "transform");
    if (name.isBlank()) {
      throw new IllegalArgumentException("Cannot describe a QC channel: its name is blank");
    }
    if (!Double.isNaN(range) && !(range > 0)) {
      throw new IllegalArgumentException(
          "Cannot describe QC channel '" + name + "': range must be > 0 or NaN but is " + range);
    }
  }

  /** A channel with the {@link #defaultTransform default transform}. */
  public static QcChannel of(String name, double range, boolean logAmplified) {
    return new QcChannel(name, range, defaultTransform(name, range, logAmplified));
  }

  /**
   * The transform used when the caller gives none: none for values the instrument already stored
   * on a log scale ({@code $PnE} decades &gt; 0) and for scatter (linear by nature); asinh(x / 5)
   * for mass cytometry channels; otherwise asinh(x / c) with c = 150 scaled to the channel's range
   * (150 × {@code $PnR} / 262144; 150 when the range is unknown or invalid). Per-bin quantiles are
   * equivariant under any monotone transform, so the choice only shapes the MAD scale.
   */
  public static Transform defaultTransform(String name, double range, boolean logAmplified) {
    if (logAmplified || ChannelRoles.isScatter(name)) {
      return new Identity();
    }
    if (ChannelRoles.isMass(name)) {
      return new AsinhCofactor(MASS_COFACTOR);
    }
    double c = range > 0 && Double.isFinite(range) ? FLOW_COFACTOR * range / 262144 : FLOW_COFACTOR;
    return new AsinhCofactor(c);
  }
}
