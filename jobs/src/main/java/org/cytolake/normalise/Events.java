package org.cytolake.normalise;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The events of one file in memory: named channels, row-major values (event after event).
 *
 * @param name the file's name, for messages
 * @param channels channel names ({@code $PnN}), in column order, distinct
 * @param values row-major values, {@code events() * channels().size()} of them (not copied: the
 *     caller hands them over)
 */
public record Events(String name, List<String> channels, double[] values) {
  public Events {
    Objects.requireNonNull(name, "name");
    channels = List.copyOf(channels);
    if (new HashSet<>(channels).size() != channels.size()) {
      throw new IllegalArgumentException(
          "Cannot use events of '" + name + "': channel names repeat: " + channels);
    }
    if (channels.isEmpty() || values.length % channels.size() != 0) {
      throw new IllegalArgumentException(
          "Cannot use events of '"
              + name
              + "': "
              + values.length
              + " values are not whole events of "
              + channels.size()
              + " channels");
    }
  }

  /** The number of events. */
  public int events() {
    return values.length / channels.size();
  }

  /** The column of a channel, or -1. */
  public int indexOf(String channel) {
    return channels.indexOf(channel);
  }
}
