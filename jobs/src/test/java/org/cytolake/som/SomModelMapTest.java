package org.cytolake.som;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SomModel#map}'s chunked search gives every event exactly the node that the event-at-a-time
 * {@link SomModel#bmu(double[], int)} gives: across chunk boundaries, for 1 to 12 dimensions, on codebooks with
 * repeated nodes (ties: the lowest index) and on events with non-finite values.
 */
class SomModelMapTest {

  @Test
  void chunkedSearchEqualsEventAtATimeSearch() {
    Random r = new Random(7);
    for (int dims : new int[] {1, 2, 3, 5, 10, 12}) {
      SomParams params = SomParams.defaults().withGrid(4, 5);
      double[] codebook = new double[params.nodes() * dims];
      for (int i = 0; i < codebook.length; i++) {
        codebook[i] =
            Math.round(r.nextGaussian() * 4) / 2.0; // coarse values: many exact ties between nodes
      }
      System.arraycopy(codebook, 0, codebook, 7 * dims, dims); // node 7 repeats node 0
      SomModel model = new SomModel(params, dims, codebook);
      for (int n : new int[] {0, 1, 255, 256, 257, 1000}) {
        double[] events = new double[n * dims];
        for (int i = 0; i < events.length; i++) {
          events[i] =
              r.nextInt(4) == 0 ? codebook[r.nextInt(codebook.length)] : r.nextGaussian() * 3;
        }
        int[] expected = new int[n];
        for (int e = 0; e < n; e++) {
          expected[e] = model.bmu(events, e * dims);
        }
        assertArrayEquals(expected, model.map(events, n), "dims " + dims + ", events " + n);
      }
    }
  }

  /**
   * Both kernels of the chunked search (the Vector API one when this JVM runs it, and the scalar
   * one) against the event-at-a-time search, on counts around the vector group and the chunk, with
   * exact ties, near ties, NaN and infinities mixed in.
   */
  @Test
  void vectorAndScalarKernelsEachGiveTheEventAtATimeNodes() {
    Random r = new Random(19);
    boolean[] kernels =
        org.cytolake.simd.VectorApi.ENABLED ? new boolean[] {false, true} : new boolean[] {false};
    int g = org.cytolake.simd.VectorApi.ENABLED ? SomKernel.GROUP : 16;
    for (int dims : new int[] {1, 2, 7, 9, 16}) {
      SomParams params = SomParams.defaults().withGrid(10, 10);
      double[] codebook = new double[params.nodes() * dims];
      for (int i = 0; i < codebook.length; i++) {
        codebook[i] = r.nextInt(3) == 0 ? Math.round(r.nextGaussian() * 4) / 2.0 : r.nextGaussian();
      }
      System.arraycopy(codebook, 3 * dims, codebook, 40 * dims, dims); // node 40 repeats node 3
      SomModel model = new SomModel(params, dims, codebook);
      for (int n : new int[] {0, 1, g - 1, g, g + 1, 3 * g + 5, 255, 256, 257, 4099}) {
        double[] events = new double[n * dims];
        for (int i = 0; i < events.length; i++) {
          int kind = r.nextInt(40);
          events[i] =
              kind == 0
                  ? Double.NaN
                  : kind == 1
                      ? Double.POSITIVE_INFINITY
                      : kind < 12
                          ? codebook[r.nextInt(codebook.length)] + (r.nextBoolean() ? 0 : 1e-12)
                          : r.nextGaussian() * 3;
        }
        int[] expected = new int[n];
        for (int e = 0; e < n; e++) {
          expected[e] = model.bmu(events, e * dims);
        }
        for (boolean vector : kernels) {
          int[] got = new int[n + 3];
          java.util.Arrays.fill(got, -5);
          SomModel.mapInto(codebook, dims, events, n, got, vector);
          assertArrayEquals(
              expected,
              java.util.Arrays.copyOf(got, n),
              (vector ? "vector" : "scalar") + " kernel, dims " + dims + ", events " + n);
          assertEquals(-5, got[n], "nothing written past the events");
        }
      }
    }
  }

  @Test
  void nonFiniteValuesMapAsTheEventAtATimeSearchDoes() {
    SomModel model =
        new SomModel(SomParams.defaults().withGrid(2, 2), 2, new double[] {0, 0, 1, 1, 2, 2, 3, 3});
    double[] events = {
      Double.NaN, 0, 2.9, Double.POSITIVE_INFINITY, 2.1, 2.2, Double.NEGATIVE_INFINITY, 1
    };
    int[] expected = new int[4];
    for (int e = 0; e < 4; e++) {
      expected[e] = model.bmu(events, e * 2);
    }
    assertArrayEquals(expected, model.map(events, 4));
    assertEquals(2, model.map(events, 4)[2]);
  }

  @Test
  void aShortOutputArrayIsAnError() {
    SomModel model =
        new SomModel(SomParams.defaults().withGrid(2, 2), 1, new double[] {0, 1, 2, 3});
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.mapInto(new double[] {0, 1, 2}, 3, new int[2]));
    assertEquals("Cannot map event block: 3 events but room for 2 nodes", e.getMessage());
  }
}
