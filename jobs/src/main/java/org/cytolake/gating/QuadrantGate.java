package org.cytolake.gating;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A quadrant gate (Gating-ML 2.0 section 5.2.4): dividers cut each of their dimensions at one or more values into
 * intervals [v(k-1), v(k)) (min-inclusive, max-exclusive, the outer ones open); each quadrant is named by a position
 * (a location per divider) and holds the events that fall, on every divider it names, in the interval holding that
 * location.
 */
public record QuadrantGate(
    String id, String parentId, List<Divider> dividers, List<Quadrant> quadrants) implements Gate {

  /** A divider: a dimension and its sorted cut values. */
  public record Divider(String id, Dimension dimension, double[] values) {
    public Divider {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(dimension, "dimension");
      values = values.clone();
      Arrays.sort(values);
    }

    /**
     * The interval index of a value: how many cut values are ≤ it; -1 (no interval) for NaN and +infinity, which
     * the last interval [v(last), +infinity) excludes as a rectangle's open max does.
     */
    public int interval(double v) {
      if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
        return -1;
      }
      int k = 0;
      while (k < values.length && values[k] <= v) {
        k++;
      }
      return k;
    }

    @Override
    public double[] values() {
      return values.clone();
    }
  }

  /**
   * One quadrant: a population with its own id.
   *
   * @param positions divider id → a location inside the quadrant on that divider's dimension
   */
  public record Quadrant(String id, Map<String, Double> positions) {
    public Quadrant {
      Objects.requireNonNull(id, "id");
      positions = Map.copyOf(positions);
    }
  }

  public QuadrantGate {
    Objects.requireNonNull(id, "id");
    dividers = List.copyOf(dividers);
    quadrants = List.copyOf(quadrants);
  }

  @Override
  public List<Dimension> dimensions() {
    return dividers.stream().map(Divider::dimension).toList();
  }
}
