package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusterPicturePagesTest {
  @Test
  void theEmbeddingKeepsItsPerSampleCountUntilTheSamplesWouldPassTheCap() {
    assertEquals(100, ClusterPicturePages.embeddingPerSample(100, 10_000, 32));
    assertEquals(100, ClusterPicturePages.embeddingPerSample(100, 10_000, 100));
    assertEquals(21, ClusterPicturePages.embeddingPerSample(100, 10_000, 467));
    assertEquals(1, ClusterPicturePages.embeddingPerSample(100, 10_000, 50_000));
    assertEquals(100, ClusterPicturePages.embeddingPerSample(100, 10_000, 0));
  }
}
