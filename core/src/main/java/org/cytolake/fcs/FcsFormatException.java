package org.cytolake.fcs;

import java.io.IOException;

/**
 * An FCS file that cannot be read, with where and why. The message reads like
 * {@code Cannot read FCS file 'x.fcs': DATA segment (byte 1234): DATA segment ends at byte 91233
 * (0-based, inclusive) but the file's last byte is 89999 (the file has 90000 bytes)}: file,
 * segment, byte offset where known, and the reason with the offending value.
 */
public final class FcsFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final FcsSegment segment;
  private final long offset;
  private final FcsErrorCode code;
  private final String reason;

  public FcsFormatException(
      String source, FcsSegment segment, long offset, FcsErrorCode code, String reason) {
    this(source, segment, offset, code, reason, null);
  }

  public FcsFormatException(
      String source,
      FcsSegment segment,
      long offset,
      FcsErrorCode code,
      String reason,
      Throwable cause) {
    super(format(source, segment, offset, reason), cause);
    this.source = source;
    this.segment = segment;
    this.offset = offset;
    this.code = code;
    this.reason = reason;
  }

  private static String format(String source, FcsSegment segment, long offset, String reason) {
    StringBuilder sb = new StringBuilder("Cannot read FCS file '").append(source).append("': ");
    sb.append(segment.label()).append(segment == FcsSegment.FILE ? "" : " segment");
    if (offset >= 0) {
      sb.append(" (byte ").append(offset).append(')');
    }
    return sb.append(": ").append(reason).toString();
  }

  /** The file (or other input) name. */
  public String source() {
    return source;
  }

  public FcsSegment segment() {
    return segment;
  }

  /** Absolute byte offset in the file where the problem is, or -1 when it has no single place. */
  public long offset() {
    return offset;
  }

  public FcsErrorCode code() {
    return code;
  }

  /** The reason alone, without file and segment. */
  public String reason() {
    return reason;
  }
}
