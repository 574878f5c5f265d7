package org.cytolake.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Seeded Gaussian blobs with known labels: the SOM tests' data and {@code bench --only som-epoch}'s. */
public record Blobs(double[] events, int dims, String[] labels) {

  /**
   * {@code sizes.length} spherical Gaussian blobs (SD 1) in {@code dims} dimensions whose centres are distinct
   * corners of a cube of side {@code separation}, events shuffled.
   */
  public static Blobs make(int dims, int[] sizes, double separation, long seed) {
    Random random = new Random(seed);
    List<double[]> centres = new ArrayList<>();
    while (centres.size() < sizes.length) {
      double[] c = new double[dims];
      for (int d = 0; d < dims; d++) {
        c[d] = random.nextBoolean() ? separation : 0;
      }
      if (centres.stream().noneMatch(o -> Arrays.equals(o, c))) {
        centres.add(c);
      }
    }
    int n = Arrays.stream(sizes).sum();
    int[] order = new int[n];
    for (int b = 0, e = 0; b < sizes.length; b++) {
      for (int i = 0; i < sizes[b]; i++) {
        order[e++] = b;
      }
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double[] events = new double[n * dims];
    String[] labels = new String[n];
    for (int e = 0; e < n; e++) {
      labels[e] = "blob" + order[e];
      for (int d = 0; d < dims; d++) {
        events[e * dims + d] = centres.get(order[e])[d] + random.nextGaussian();
      }
    }
    return new Blobs(events, dims, labels);
  }

  public int size() {
    return labels.length;
  }

  /** The events split into {@code parts} consecutive blocks of nearly equal size. */
  public List<double[]> split(int parts) {
    return split(events, dims, parts);
  }

  /** Row-major {@code events} of {@code dims} values each, split into {@code parts} consecutive blocks. */
  public static List<double[]> split(double[] events, int dims, int parts) {
    List<double[]> out = new ArrayList<>();
    int n = events.length / dims;
    for (int p = 0; p < parts; p++) {
      int from = (int) ((long) n * p / parts);
      int to = (int) ((long) n * (p + 1) / parts);
      out.add(Arrays.copyOfRange(events, from * dims, to * dims));
    }
    return out;
  }
}
