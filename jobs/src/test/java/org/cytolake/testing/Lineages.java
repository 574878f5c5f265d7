package org.cytolake.testing;

/** Merges the generator's leukocyte leaf labels into the lineages clustering is scored on. */
public final class Lineages {
  private Lineages() {}

  /**
   * A leukocyte leaf label (the part after "leukocytes/") merged to T, B, NK, monocytes,
   * neutrophils or eosinophils; "Unlabeled" for the "other" leaves.
   */
  public static String merge(String leaf) {
    if (leaf.equals("lymphocytes/T") || leaf.startsWith("lymphocytes/T/")) {
      return "T";
    }
    if (leaf.equals("lymphocytes/B")) {
      return "B";
    }
    if (leaf.startsWith("lymphocytes/NK")) {
      return "NK";
    }
    if (leaf.startsWith("monocytes")) {
      return "monocytes";
    }
    if (leaf.equals("neutrophils") || leaf.equals("eosinophils")) {
      return leaf;
    }
    return "Unlabeled";
  }
}
