package org.cytolake.qc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cytolake.cytometry.transform.Transform;

/**
 * One sample's events as the QC reads them: a value array per channel (Time among them), in file
 * order, plus {@code $TIMESTEP}. The arrays are not copied: the sample owns them and nobody may
 * change them afterwards (a copy of a 10^7-event file would double its memory).
 */
public final class QcSample {
  private final String source;
  private final int events;
  private final double timeStep;
  private final List<QcChannel> channels;
  private final float[][] values;
  private final List<String> notes;
  private final Map<String, Integer> index;

  private QcSample(
      String source,
      int events,
      double timeStep,
      List<QcChannel> channels,
      float[][] values,
      List<String> notes) {
    this.source = source;
    this.events = events;
    this.timeStep = timeStep;
    this.channels = List.copyOf(channels);
    this.values = values;
    this.notes = List.copyOf(notes);
    Map<String, Integer> m = new HashMap<>();
    for (int i = channels.size() - 1; i >= 0; i--) {
      m.put(channels.get(i).name(), i); // the first of repeated names wins, as FcsDataset.indexOf
    }
    this.index = Map.copyOf(m);
  }

  /** Starts a sample of {@code events} events read from {@code source} (named in messages). */
  public static Builder builder(String source, int events) {
    return new Builder(source, events);
  }

  /** The file (or other origin) named in messages and the summary. */
  public String source() {
    return source;
  }

  public int events() {
    return events;
  }

  /** {@code $TIMESTEP}: seconds per unit of the Time channel; NaN when unknown. */
  public double timeStep() {
    return timeStep;
  }

  public List<QcChannel> channels() {
    return channels;
  }

  /** Index of the first channel named {@code name}, or -1. */
  public int indexOf(String name) {
    return index.getOrDefault(name, -1);
  }

  /** What the reader of the sample noticed (carried into the summary). */
  public List<String> notes() {
    return notes;
  }

  /** The values of channel {@code c}, not copied: read only. */
  float[] values(int c) {
    return values[c];
  }

  /** Collects channels; {@link #build()} checks that every array has one value per event. */
  public static final class Builder {
    private final String source;
    private final int events;
    private double timeStep = Double.NaN;
    private final List<QcChannel> channels = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Builder(String source, int events) {
      this.source = Objects.requireNonNull(source, "source");
      this.events = events;
    }

    /** {@code $TIMESTEP} in seconds per Time unit; NaN (the default) when unknown. */
    public Builder timeStep(double seconds) {
      this.timeStep = seconds;
      return this;
    }

    /** Adds a channel; the array is not copied. */
    public Builder channel(QcChannel channel, float[] channelValues) {
      channels.add(Objects.requireNonNull(channel, "channel"));
      values.add(channelValues);
      return this;
    }

    /** Adds a channel with the default transform; the array is not copied. */
    public Builder channel(String name, double range, float[] channelValues) {
      return channel(QcChannel.of(name, range, false), channelValues);
    }

    /** Adds a channel with an explicit transform; the array is not copied. */
    public Builder channel(String name, double range, Transform transform, float[] v) {
      return channel(new QcChannel(name, range, transform), v);
    }

    /**
     * Adds a channel from doubles, narrowed to float: exact for every integer FCS type up to 24
     * bits and for float32 data, within 2^-24 relative otherwise (the QC compares values with
     * ranges and bin statistics, never for equality of large integers).
     */
    public Builder channel(QcChannel channel, double[] channelValues) {
      float[] f = null;
      if (channelValues != null) {
        f = new float[channelValues.length];
        for (int i = 0; i < f.length; i++) {
          f[i] = (float) channelValues[i];
        }
      }
      return channel(channel, f);
    }

    /** Records something the reader noticed (e.g. an unreadable {@code $TIMESTEP}). */
    public Builder note(String note) {
      notes.add(Objects.requireNonNull(note, "note"));
      return this;
    }

    /**
     * The sample.
     *
     * @throws IllegalArgumentException naming the source and every channel whose array is missing
     *     or has the wrong length, a negative event count, or a bad time step
     */
    public QcSample build() {
      List<String> problems = new ArrayList<>();
      if (events < 0) {
        problems.add("the event count must be at least 0 but is " + events);
      }
      if (!Double.isNaN(timeStep) && !(Double.isFinite(timeStep) && timeStep > 0)) {
        problems.add("the time step must be a finite number > 0 or NaN but is " + timeStep);
      }
      for (int c = 0; c < channels.size(); c++) {
        float[] v = values.get(c);
        String name = channels.get(c).name();
        if (v == null) {
          problems.add("channel '" + name + "' has no values");
        } else if (v.length != events) {
          problems.add(
              "channel '"
                  + name
                  + "' has "
                  + v.length
                  + " values but the sample has "
                  + events
                  + " events");
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "Cannot build QC sample '" + source + "': " + String.join("; ", problems));
      }
      return new QcSample(
          source, events, timeStep, channels, values.toArray(new float[0][]), notes);
    }
  }
}
