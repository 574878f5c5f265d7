package org.cytolake.qc;

import java.util.Arrays;

/**
 * The acquisition-QC flags of every event of one sample, in file order: one byte per event whose
 * bits are {@link QcReason#bit()}s; 0 means the event passed. Immutable.
 */
public final class QcFlags {
  private final byte[] flags;

  private QcFlags(byte[] flags) {
    this.flags = flags;
  }

  /** Takes ownership of {@code flags} (package-private: built by {@link AcquisitionQc}). */
  static QcFlags wrap(byte[] flags) {
    return new QcFlags(flags);
  }

  /** A copy of {@code flags}. */
  public static QcFlags of(byte[] flags) {
    return new QcFlags(flags.clone());
  }

  /** Number of events. */
  public int size() {
    return flags.length;
  }

  /** The flag byte of event {@code i} (0-based, file order). */
  public byte get(int i) {
    return flags[i];
  }

  /** Whether event {@code i} is flagged for {@code reason}. */
  public boolean has(int i, QcReason reason) {
    return (flags[i] & reason.bit()) != 0;
  }

  /** Whether event {@code i} is flagged for any reason. */
  public boolean any(int i) {
    return flags[i] != 0;
  }

  /** Number of events flagged for {@code reason}. */
  public int count(QcReason reason) {
    int n = 0;
    for (byte f : flags) {
      if ((f & reason.bit()) != 0) {
        n++;
      }
    }
    return n;
  }

  /** Number of events flagged for any reason. */
  public int countAny() {
    int n = 0;
    for (byte f : flags) {
      if (f != 0) {
        n++;
      }
    }
    return n;
  }

  /** A copy of the flag bytes. */
  public byte[] toByteArray() {
    return flags.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QcFlags other && Arrays.equals(flags, other.flags);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(flags);
  }

  @Override
  public String toString() {
    return "QcFlags[events=" + flags.length + ", flagged=" + countAny() + "]";
  }
}
