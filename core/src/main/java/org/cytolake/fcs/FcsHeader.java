package org.cytolake.fcs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The 58-byte HEADER segment of an FCS data set (FCS 3.1 section 3.1): version identifier, then the
 * ASCII offsets of the primary TEXT, DATA and ANALYSIS segments, each right-justified in 8 bytes and
 * relative to the first byte of this HEADER. A blank or zero field means "look in TEXT"; a DATA end of
 * 99,999,999 or more cannot be expressed and FCS 3.x writers then put 0 here and the real offsets in
 * {@code $BEGINDATA}/{@code $ENDDATA}. An end offset names the segment's last byte; writers that
 * give one past it are recognised by {@link FcsReader}. A DATA or ANALYSIS pair of 0,-1 (an empty
 * segment as "end = start - 1") is read as 0,0 with a warning; other negative offsets are errors.
 *
 * @param version the identifier, e.g. {@code FCS3.1}
 * @param textStart relative offset of the first TEXT byte
 * @param textEnd relative offset of the last TEXT byte (inclusive)
 * @param dataStart relative DATA start, 0 when blank
 * @param dataEnd relative DATA end (inclusive), 0 when blank
 * @param analysisStart relative ANALYSIS start, 0 when blank
 * @param analysisEnd relative ANALYSIS end, 0 when blank
 */
public record FcsHeader(
    String version,
    long textStart,
    long textEnd,
    long dataStart,
    long dataEnd,
    long analysisStart,
    long analysisEnd) {

  /** Length of the HEADER in bytes. */
  public static final int LENGTH = 58;

  /** FCS 3.1 section 3.1: offsets larger than this do not fit the HEADER's 8 characters. */
  public static final long MAX_HEADER_OFFSET = 99_999_999L;

  private static final Pattern VERSION = Pattern.compile("FCS[0-9]\\.[0-9]");
  private static final List<String> SUPPORTED = List.of("FCS2.0", "FCS3.0", "FCS3.1", "FCS3.2");
  private static final String[] FIELDS = {
    "TEXT start", "TEXT end", "DATA start", "DATA end", "ANALYSIS start", "ANALYSIS end"
  };

  /** Whether the HEADER holds usable DATA offsets (not blank, zero or the 99,999,999 sentinel). */
  public boolean hasDataOffsets() {
    return dataStart > 0 && dataEnd > 0 && dataEnd < MAX_HEADER_OFFSET;
  }

  /**
   * Parses the HEADER from its 58 bytes.
   *
   * @param source file name for messages
   * @param bytes at least {@link #LENGTH} bytes starting at the HEADER
   * @param base absolute offset of this HEADER in the file (for messages)
   * @param warnings where tolerated deviations are recorded
   */
  public static FcsHeader parse(String source, byte[] bytes, long base, List<FcsWarning> warnings)
      throws FcsFormatException {
    if (bytes.length < LENGTH) {
      throw new FcsFormatException(
          source,
          FcsSegment.HEADER,
          base,
          FcsErrorCode.TRUNCATED_HEADER,
          "an FCS HEADER needs " + LENGTH + " bytes but only " + bytes.length + " are there");
    }
    String version = new String(bytes, 0, 6, StandardCharsets.ISO_8859_1);
    if (!VERSION.matcher(version).matches()) {
      throw new FcsFormatException(
          source,
          FcsSegment.HEADER,
          base,
          FcsErrorCode.NOT_FCS,
          "not an FCS file: it starts with '"
              + printable(version)
              + "', not a version identifier such as 'FCS3.1'");
    }
    if (!SUPPORTED.contains(version)) {
      throw new FcsFormatException(
          source,
          FcsSegment.HEADER,
          base,
          FcsErrorCode.UNSUPPORTED,
          "version '" + version + "' is not supported (supported: " + SUPPORTED + ")");
    }
    for (int i = 6; i < 10; i++) {
      if (bytes[i] != ' ') {
        warnings.add(
            new FcsWarning(
                "HEADER_SPACES",
                "HEADER bytes 6-9 should be spaces but byte "
                    + i
                    + " is 0x"
                    + Integer.toHexString(bytes[i] & 0xff)));
        break;
      }
    }
    long[] v = new long[6];
    for (int f = 0; f < 6; f++) {
      int from = 10 + 8 * f;
      String field = new String(bytes, from, 8, StandardCharsets.ISO_8859_1).trim();
      if (field.isEmpty()) {
        v[f] = 0;
        continue;
      }
      try {
        v[f] = Long.parseLong(field);
      } catch (NumberFormatException e) {
        throw new FcsFormatException(
            source,
            FcsSegment.HEADER,
            base + from,
            FcsErrorCode.BAD_HEADER_FIELD,
            FIELDS[f] + " field '" + printable(field) + "' is not a number");
      }
    }
    // DATA or ANALYSIS written as 0,-1: an empty segment as "end = start - 1" (the end offset is
    // the last byte, so 0,0 would be one byte). FCS 3.1 section 3.1 says 0,0; read it so.
    for (int f = 2; f < 6; f += 2) {
      if (v[f] == 0 && v[f + 1] == -1) {
        v[f + 1] = 0;
        warnings.add(
            new FcsWarning(
                "HEADER_NEGATIVE_OFFSET",
                "HEADER "
                    + FIELDS[f].split(" ")[0]
                    + " offsets are 0..-1 (an empty segment written as end = start - 1); read as 0..0, "
                    + "no segment"));
      }
    }
    for (int f = 0; f < 6; f++) {
      if (v[f] < 0) {
        throw new FcsFormatException(
            source,
            FcsSegment.HEADER,
            base + 10 + 8 * f,
            FcsErrorCode.BAD_HEADER_FIELD,
            FIELDS[f] + " field is negative: " + v[f]);
      }
    }
    return new FcsHeader(version, v[0], v[1], v[2], v[3], v[4], v[5]);
  }

  /** Makes arbitrary bytes safe to quote in a one-line message. */
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        sb.append(c);
      } else {
        sb.append(String.format("\\x%02x", (int) c & 0xff));
      }
    }
    return s.length() > 80 ? sb + "..." : sb.toString();
  }
}
