package org.cytolake.som;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The best-matching-unit search of {@link SomModel#mapInto} for {@link #GROUP} events at a time with
 * the incubator Vector API: two vectors of {@link #LANES} events each hold their running squared
 * distance to one node in registers while the node's dimensions are subtracted, squared and added,
 * then the best distance and node of every lane are kept with a strict compare. The arithmetic is
 * the scalar search's, lane by lane (a multiply then an add, no fused multiply-add; dimensions in
 * order; the lowest node on ties; NaN never best), so the nodes are the same bits. Only loaded
 * when {@link org.cytolake.simd.VectorApi#ENABLED}.
 */
final class SomKernel {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  /** Events per vector. */
  static final int LANES = SPECIES.length();

  /** Events per call of {@link #bestOfGroup}. */
  static final int GROUP = 2 * LANES;

  private SomKernel() {}

  /**
   * Writes into {@code out[at .. at + GROUP)} the best node of each of the events {@code e0 .. e0 +
   * GROUP} of a transposed chunk ({@code cols[d * stride + e]} is dimension d of event e).
   *
   * @param scratch room for {@link #LANES} doubles
   */
  static void bestOfGroup(
      double[] codebook,
      int dims,
      int nodes,
      double[] cols,
      int stride,
      int e0,
      int[] out,
      int at,
      double[] scratch) {
    DoubleVector bestA = DoubleVector.broadcast(SPECIES, Double.POSITIVE_INFINITY);
    DoubleVector bestB = bestA;
    DoubleVector nodeA = DoubleVector.zero(SPECIES);
    DoubleVector nodeB = nodeA;
    int e1 = e0 + LANES;
    for (int j = 0, base = 0; j < nodes; j++, base += dims) {
      double c = codebook[base];
      DoubleVector da = DoubleVector.fromArray(SPECIES, cols, e0).sub(c);
      DoubleVector db = DoubleVector.fromArray(SPECIES, cols, e1).sub(c);
      DoubleVector sa = da.mul(da);
      DoubleVector sb = db.mul(db);
      for (int d = 1, o = stride; d < dims; d++, o += stride) {
        double cd = codebook[base + d];
        DoubleVector xa = DoubleVector.fromArray(SPECIES, cols, o + e0).sub(cd);
        DoubleVector xb = DoubleVector.fromArray(SPECIES, cols, o + e1).sub(cd);
        sa = sa.add(xa.mul(xa));
        sb = sb.add(xb.mul(xb));
      }
      VectorMask<Double> ma = sa.lt(bestA);
      VectorMask<Double> mb = sb.lt(bestB);
      bestA = bestA.blend(sa, ma);
      bestB = bestB.blend(sb, mb);
      nodeA = nodeA.blend(j, ma);
      nodeB = nodeB.blend(j, mb);
    }
    nodeA.intoArray(scratch, 0);
    for (int l = 0; l < LANES; l++) {
      out[at + l] = (int) scratch[l];
    }
    nodeB.intoArray(scratch, 0);
    for (int l = 0; l < LANES; l++) {
      out[at + LANES + l] = (int) scratch[l];
    }
  }
}
