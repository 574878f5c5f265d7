package org.cytolake.qc;

import java.io.IOException;
import java.nio.file.Path;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;

/**
 * Reads one data set of an FCS file into a {@link QcSample}: every parameter as a channel (raw
 * stored values, as {@link EventReader} decodes them), {@code $PnR} as its range, the default
 * transform ({@link QcChannel#defaultTransform}) and {@code $TIMESTEP}.
 */
public final class FcsQcInput {
  private FcsQcInput() {}

  /** The first data set of the file at {@code path}. */
  public static QcSample read(Path path) throws IOException {
    try (FcsFile f = FcsReader.open(path)) {
      return read(f, f.first());
    }
  }

  /**
   * All events of {@code dataset}.
   *
   * @throws IOException when the events cannot be read (an {@code FcsFormatException} names the
   *     file and segment), or there are more than {@link Integer#MAX_VALUE} of them
   */
  public static QcSample read(FcsFile file, FcsDataset dataset) throws IOException {
    long total = dataset.data().events();
    int p = dataset.parameters().size();
    if (total > Integer.MAX_VALUE || total * p > Integer.MAX_VALUE * 4L) {
      throw new IOException(
          "Cannot read FCS file '"
              + dataset.source()
              + "' for acquisition QC: "
              + total
              + " events of "
              + p
              + " parameters do not fit in memory arrays");
    }
    int n = (int) total;
    float[][] values = new float[p][n];
    EventReader reader = file.events(dataset);
    float[] block = new float[p * (int) Math.max(1, Math.min(n, 1 << 14))];
    int done = 0;
    int got;
    while ((got = reader.read(block)) > 0) {
      for (int e = 0; e < got; e++) {
        for (int c = 0; c < p; c++) {
          values[c][done + e] = block[e * p + c];
        }
      }
      done += got;
    }
    QcSample.Builder b = QcSample.builder(dataset.source(), done);
    String step = dataset.keywords().getOrNull("$TIMESTEP");
    if (step != null) {
      double s = parse(step);
      if (Double.isFinite(s) && s > 0) {
        b.timeStep(s);
      } else {
        b.note("$TIMESTEP '" + step + "' is not a number > 0: times are in Time units");
      }
    }
    for (int c = 0; c < p; c++) {
      FcsParameter par = dataset.parameters().get(c);
      float[] v = done == n ? values[c] : java.util.Arrays.copyOf(values[c], done);
      b.channel(QcChannel.of(par.id(), par.range(), par.isLogAmplified()), v);
    }
    return b.build();
  }

  private static double parse(String s) {
    try {
      return Double.parseDouble(s.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
