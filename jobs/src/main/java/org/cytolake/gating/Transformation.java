package org.cytolake.gating;

import java.util.Objects;
import org.cytolake.cytometry.transform.Transform;

/**
 * A {@code transforms:transformation} of a Gating-ML document: either a scale transform of one value (flin, flog,
 * fasinh, logicle, hyperlog; from a FlowJo workspace also FlowJo's biex table, which has no Gating-ML form) or a
 * ratio of two parameters, with the optional {@code boundMin}/{@code boundMax} that clamp its result.
 *
 * @param id the {@code transforms:id}
 * @param scale the one-value transform, or null for a ratio
 * @param ratio the ratio, or null for a scale transform
 * @param boundMin results below it are raised to it; -infinity when absent
 * @param boundMax results above it are lowered to it; +infinity when absent
 */
public record Transformation(
    String id, Transform scale, Ratio ratio, double boundMin, double boundMax) {

  public Transformation {
    Objects.requireNonNull(id, "id");
    if ((scale == null) == (ratio == null)) {
      throw new IllegalArgumentException(
          "Cannot create transformation '"
              + id
              + "': exactly one of a scale transform and a ratio is needed");
    }
  }

  /** Applies the bounds to a transformed value; NaN stays NaN. */
  public double bound(double y) {
    if (y < boundMin) {
      return boundMin;
    }
    return y > boundMax ? boundMax : y;
  }

  /** The transform's type name as in Gating-ML: flin, flog, fasinh, logicle, hyperlog or fratio. */
  public String type() {
    if (ratio != null) {
      return "fratio";
    }
    return switch (scale.id()) {
      case "linear" -> "flin";
      case "log" -> "flog";
      case "asinh" -> "fasinh";
      default -> scale.id();
    };
  }
}
