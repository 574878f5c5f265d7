package org.cytolake.normalise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with R CytoNorm on real CyTOF data ({@code shared/real/cytonorm}, see its README): models
 * trained on the Control_1 file of each of three batches normalise the Control_2 files, through
 * {@code cytolake normalise-fcs} (FCS in, float32 FCS out), and every event of every listed
 * channel is compared with R's {@code Norm_*_Control_2.fcs}. The issue asks for 3 decimals; the
 * files agree exactly (max |diff| 0 on every file), and the other channels are copied unchanged.
 */
class CytoNormParityTest {

  @Test
  void controlTwoFilesMatchRCytoNormOnEveryEventAndChannel(@TempDir Path out) throws Exception {
    Path dir = RealCytoNorm.dirOrSkip();
    assertEquals(0, RealCytoNorm.normalise(dir, out));
    List<String> channels = RealCytoNorm.channels(dir);
    assertEquals(37, channels.size());
    for (String batch : RealCytoNorm.BATCHES) {
      String name = "Norm_" + RealCytoNorm.control(batch, 2);
      Events ours = NormaliseFcs.read(out.resolve(name)).events();
      Events r = NormaliseFcs.read(dir.resolve("r-cytonorm-output").resolve(name)).events();
      Events raw = NormaliseFcs.read(dir.resolve(name.substring(5))).events();
      assertEquals(r.channels(), ours.channels());
      assertEquals(r.events(), ours.events());
      int p = r.channels().size();
      double max = 0;
      double maxOther = 0;
      for (int c = 0; c < p; c++) {
        boolean listed = channels.contains(r.channels().get(c));
        for (int i = c; i < r.values().length; i += p) {
          double d = Math.abs(ours.values()[i] - r.values()[i]);
          if (listed) {
            max = Math.max(max, d);
          } else {
            maxOther = Math.max(maxOther, Math.abs(ours.values()[i] - raw.values()[i]));
          }
        }
      }
      System.out.printf(
          "CytoNorm parity %s: %d events x %d channels, max |ours - R| = %s%n",
          name, r.events(), channels.size(), max);
      assertTrue(max < 5e-4, name + ": max |ours - R| = " + max + ", not within 3 decimals");
      assertEquals(0, max, 0, name + ": not bit-identical to R through float32");
      assertEquals(0, maxOther, 0, name + ": a channel that is not listed changed");
    }
  }
}
