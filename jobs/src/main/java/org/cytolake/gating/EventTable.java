package org.cytolake.gating;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.Spillover;

/**
 * The events of one FCS data set in memory, on the linear scale that gates are defined on: row-major, one value per
 * channel. Made by {@link #linearize}, the "linearize-with-PnG-scaling" reading that the Gating-ML 2.0 compliance
 * results were produced with (flowCore's {@code read.FCS}): a channel stored log-amplified ({@code $PnE} = f1,f2
 * with f1 &gt; 0) becomes {@code 10^(f1 · raw / $PnR) · f2} (f2 = 0 read as 1, as FCS 3.1 advises for
 * {@code $PnE/f1,0/}), and a linear
 * channel is divided by its gain {@code $PnG}.
 *
 * @param source the file name, for messages
 * @param channels {@code $PnN} of every channel, in event order
 * @param events number of events
 * @param values {@code events × channels.size()} values, row-major (not copied: treat as read-only)
 * @param spillover the file's spillover matrix, or null
 */
public record EventTable(
    String source, List<String> channels, int events, double[] values, Spillover spillover) {

  public EventTable {
    Objects.requireNonNull(source, "source");
    channels = List.copyOf(channels);
    if ((long) events * channels.size() != values.length) {
      throw new IllegalArgumentException(
          "Cannot create event table for '"
              + source
              + "': "
              + events
              + " events of "
              + channels.size()
              + " channels need "
              + (long) events * channels.size()
              + " values, not "
              + values.length);
    }
  }

  /** Reads the first data set of an FCS file and {@link #linearize}s it. */
  public static EventTable read(Path fcs) throws IOException {
    try (FcsFile file = FcsReader.open(fcs)) {
      FcsDataset ds = file.first();
      int p = ds.parameters().size();
      double[] values = file.readAll(ds, "gate");
      linearize(ds.parameters(), values);
      List<String> names = ds.parameters().stream().map(FcsParameter::id).toList();
      return new EventTable(
          file.name(), names, values.length / Math.max(1, p), values, ds.spillover().orElse(null));
    }
  }

  /** Applies "linearize-with-PnG-scaling" in place to raw row-major values of these parameters. */
  public static void linearize(List<FcsParameter> parameters, double[] values) {
    int p = parameters.size();
    for (int c = 0; c < p; c++) {
      FcsParameter par = parameters.get(c);
      if (par.decades() > 0) {
        double f1 = par.decades();
        double f2 = par.logOffset() == 0 ? 1 : par.logOffset();
        double range = par.range();
        for (int i = c; i < values.length; i += p) {
          values[i] = Math.pow(10, f1 * values[i] / range) * f2;
        }
      } else if (par.gain() != 1 && par.gain() > 0) {
        double g = par.gain();
        for (int i = c; i < values.length; i += p) {
          values[i] = values[i] / g;
        }
      }
    }
  }

  /** The index of a channel by {@code $PnN}, or -1. */
  public int indexOf(String channel) {
    return channels.indexOf(channel);
  }

  /** One channel's values, in event order (a copy). */
  public double[] column(int channel) {
    int p = channels.size();
    double[] out = new double[events];
    for (int e = 0, i = channel; e < events; e++, i += p) {
      out[e] = values[i];
    }
    return out;
  }
}
