package org.cytolake.plot.clusters;

import java.awt.Color;

/** How the cluster pictures name and colour a metacluster, the same in every picture. */
public final class Metaclusters {
  private Metaclusters() {}

  /** A qualitative palette (Tableau 20 order); metacluster {@code k} takes entry {@code k mod 20}. */
  private static final int[] PALETTE = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22,
    0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7,
    0xdbdb8d, 0x9edae5
  };

  /** The colour of metacluster {@code k}. */
  public static Color colour(int k) {
    return new Color(PALETTE[Math.floorMod(k, PALETTE.length)]);
  }

  /** {@code 3 CD4 T}, or {@code 3} when the metacluster has no label. */
  public static String name(int k, String label) {
    return label == null || label.isBlank() ? String.valueOf(k) : k + " " + label;
  }
}
