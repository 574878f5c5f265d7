package org.cytolake.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's per-step state on the local file system. */
class LakeStateTest {
  @TempDir Path lake;
  final Configuration conf = new Configuration();

  @Test
  void stateIsReadBackAndClearedPerStep() throws IOException {
    LakeState s = new LakeState(lake.toString(), conf);
    assertTrue(s.read("gate").isEmpty());
    s.write("gate", Map.of("fingerprint", "abc", "gated", Map.of("S1", "sha1")));
    assertEquals("abc", s.read("gate").get("fingerprint"));
    assertEquals(Map.of("S1", "sha1"), s.read("gate").get("gated"));
    s.write("gate", Map.of("fingerprint", "def"));
    assertEquals(Map.of("fingerprint", "def"), s.read("gate"));
    s.clear("gate");
    assertTrue(s.read("gate").isEmpty());
  }
}
