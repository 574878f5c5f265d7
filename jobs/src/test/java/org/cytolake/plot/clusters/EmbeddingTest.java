package org.cytolake.plot.clusters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingTest {

  /** Three Gaussian blobs in 8 dimensions, 100 events each, centres 6 apart. */
  static float[][] blobs(int[] label) {
    Random r = new Random(11);
    float[][] v = new float[label.length][8];
    for (int i = 0; i < label.length; i++) {
      label[i] = i % 3;
      for (int d = 0; d < 8; d++) {
        v[i][d] = (float) (r.nextGaussian() * 0.5 + (d == label[i] ? 6 : 0));
      }
    }
    return v;
  }

  @Test
  void theSameEventsAndSeedGiveTheSameEmbedding() {
    int[] label = new int[300];
    float[][] v = blobs(label);
    float[][] a = Embedding.withSeed(5).fit(v);
    float[][] b = Embedding.withSeed(5).fit(v);
    assertEquals(300, a.length);
    for (int i = 0; i < a.length; i++) {
      assertEquals(2, a[i].length);
      assertArrayEquals(a[i], b[i], "row " + i);
    }
  }

  @Test
  void separatedBlobsStaySeparated() {
    assertBlobsSeparated(Embedding.withSeed(5));
  }

  @Test
  void separatedBlobsStaySeparatedWithTheReportsEpochsAndTheEpochsChangeThePicture() {
    assertBlobsSeparated(Embedding.withSeed(5).withEpochs(200));
    int[] label = new int[300];
    float[][] v = blobs(label);
    float[][] few = Embedding.withSeed(5).withEpochs(20).fit(v);
    float[][] many = Embedding.withSeed(5).fit(v);
    boolean differ = false;
    for (int i = 0; i < v.length && !differ; i++) {
      differ = few[i][0] != many[i][0] || few[i][1] != many[i][1];
    }
    assertTrue(differ, "20 epochs gave the picture of umap-learn's 500");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Embedding.withSeed(5).withEpochs(-1));
    assertEquals(
        "Cannot embed events: UMAP's epochs must be 0 (umap-learn's rule) or more, got -1",
        e.getMessage());
  }

  private static void assertBlobsSeparated(Embedding embedding) {
    int[] label = new int[300];
    float[][] xy = embedding.fit(blobs(label));
    int same = 0;
    for (int i = 0; i < xy.length; i++) {
      int nearest = -1;
      double best = Double.POSITIVE_INFINITY;
      for (int j = 0; j < xy.length; j++) {
        double d = Math.hypot(xy[i][0] - xy[j][0], xy[i][1] - xy[j][1]);
        if (j != i && d < best) {
          best = d;
          nearest = j;
        }
      }
      same += label[nearest] == label[i] ? 1 : 0;
    }
    assertTrue(same >= 297, same + " of 300 events have a nearest neighbour of their blob");
  }

  @Test
  void tooFewEventsOrABadValueAreNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Embedding.withSeed(1).fit(new float[10][3]));
    assertEquals(
        "Cannot embed 10 events: UMAP with 15 neighbours needs more events than that",
        e.getMessage());
    float[][] v = new float[20][2];
    v[4][1] = Float.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> Embedding.withSeed(1).fit(v));
    assertEquals("Cannot embed events: row 4 has value NaN in column 1", e.getMessage());
  }
}
