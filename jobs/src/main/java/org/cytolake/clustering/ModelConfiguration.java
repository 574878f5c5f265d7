package org.cytolake.clustering;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomParams;

/**
 * The configuration a panel's cluster model answers, as {@link ClusterModel#fingerprint} hashes it: the algorithm,
 * the clustering columns, every fitting parameter (grid, SOM schedule, metaclustering, sample-per-file, seed) and
 * the phenotype thresholds and rules of the panel (the labels are the model's). A change of any entry changes the
 * fingerprint, and the next cluster run trains a new model version ({@link ModelPlan#decide}).
 */
public final class ModelConfiguration {
  private ModelConfiguration() {}

  /**
   * The entries, sorted by name.
   *
   * @param columns the clustering (lineage) columns, in codebook order
   * @param metaclusters the configured metaclusters (0: the elbow rule)
   * @param samplePerFile training events per sample (0: all)
   */
  public static SortedMap<String, String> entries(
      String algorithm,
      List<String> columns,
      SomParams som,
      Metaclustering metaclustering,
      int metaclusters,
      int samplePerFile,
      long seed,
      PhenotypeRules phenotypes) {
    SortedMap<String, String> c = new TreeMap<>();
    c.put("algorithm", algorithm);
    c.put("columns", String.join(",", columns));
    c.put("som", som.toString());
    c.put("metaclustering", metaclustering.toString());
    c.put("metaclusters", Integer.toString(metaclusters));
    c.put("sample_per_file", Integer.toString(samplePerFile));
    c.put("seed", Long.toString(seed));
    c.put("phenotypes", phenotypes.toString());
    return c;
  }
}
