package org.cytolake.normalise;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cytolake.cli.CytolakeCli;
import org.cytolake.testing.SharedData;

/**
 * The real CyTOF data of {@code shared/real/cytonorm} (see its README) as the normalise-fcs tests
 * use it: three batches, each with a Control_1 and a Control_2 file, normalised on the coding
 * detectors under asinh with cofactor 5.
 */
final class RealCytoNorm {
  private RealCytoNorm() {}

  static final List<String> BATCHES = List.of("PTLG021", "PTLG028", "PTLG034");

  /** The data's directory; the test is skipped when it is absent. */
  static Path dirOrSkip() {
    return SharedData.sharedOrSkip("real/cytonorm");
  }

  /** The coding detectors (coding_detectors.txt, blank lines left out): the channels normalised. */
  static List<String> channels(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("coding_detectors.txt")).stream()
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** The file name of a batch's Control_{@code n} file. */
  static String control(String batch, int n) {
    return "Gates_" + batch + "_Unstim_Control_" + n + ".fcs";
  }

  /**
   * Runs {@code cytolake normalise-fcs} on the data in {@code dir} into {@code out}, with {@code
   * more} options; returns its exit code.
   */
  static int normalise(Path dir, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "normalise-fcs",
                "--metadata",
                dir.resolve("metadata.csv").toString(),
                "--input",
                dir.toString(),
                "--channels",
                dir.resolve("coding_detectors.txt").toString(),
                "--transform",
                "asinh:cofactor=5",
                "--out",
                out.toString()));
    args.addAll(List.of(more));
    return CytolakeCli.execute(args.toArray(String[]::new));
  }
}
