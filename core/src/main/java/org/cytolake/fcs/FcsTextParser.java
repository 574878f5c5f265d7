package org.cytolake.fcs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a TEXT segment into keyword/value pairs (FCS 3.1 section 3.2.7).
 *
 * <p>The first byte is the delimiter. A doubled delimiter inside a value is an escaped delimiter
 * character (FCS 3.1). Exactly two right after a keyword name are read as an empty value (three or
 * more are the separator and a value starting with an escaped delimiter), which FCS 3.1
 * forbids but older writers emit (names never hold the delimiter in practice; flowCore's
 * {@code emptyValue} default reads it the same way). Tolerated, each with a warning: a segment that
 * does not end with its delimiter (the last value then ends at the segment end), a segment that
 * ends with its delimiter twice after a value (the final delimiter and a stray one, as the BD
 * Accuri C6 writes), trailing NUL/space padding, spaces around keywords or values, repeated
 * keywords (the first wins), and a keyword left without a value. Values are decoded as UTF-8 (FCS 3.1) and fall back to
 * ISO-8859-1 for files from older instruments.
 */
public final class FcsTextParser {
  private FcsTextParser() {}

  /**
   * Parses a TEXT (or supplemental TEXT) segment.
   *
   * @param source file name for messages
   * @param segment the segment's bytes, delimiter first
   * @param absoluteOffset where the segment starts in the file (for messages)
   * @param which TEXT or SUPPLEMENTAL_TEXT
   * @param expectedDelimiter the primary TEXT's delimiter, or -1 when parsing the primary TEXT
   * @param warnings where tolerated deviations are recorded
   */
  public static Map<String, String> parse(
      String source,
      byte[] segment,
      long absoluteOffset,
      FcsSegment which,
      int expectedDelimiter,
      List<FcsWarning> warnings)
      throws FcsFormatException {
    if (segment.length == 0) {
      throw new FcsFormatException(
          source, which, absoluteOffset, FcsErrorCode.BAD_OFFSETS, "segment is empty");
    }
    int delim = segment[0] & 0xff;
    int start = 1;
    if (expectedDelimiter >= 0 && delim != expectedDelimiter) {
      // A supplemental TEXT that does not repeat the delimiter: parse from its first byte.
      delim = expectedDelimiter;
      start = 0;
    }
    checkDelimiter(source, which, absoluteOffset, delim);

    List<byte[]> tokens = new ArrayList<>();
    ByteArrayOutputStream cur = new ByteArrayOutputStream(64);
    int n = segment.length;
    boolean endedWithDelimiter = false;
    int emptyValues = 0;
    boolean extraFinalDelimiter = false;
    for (int i = start; i < n; i++) {
      int b = segment[i] & 0xff;
      if (b == delim) {
        if (i + 1 < n && (segment[i + 1] & 0xff) == delim) {
          boolean afterName = tokens.size() % 2 == 0 && cur.size() > 0;
          boolean tripled = i + 2 < n && (segment[i + 2] & 0xff) == delim;
          if (!afterName && cur.size() > 0 && isPadding(segment, i + 2, n)) {
            // A value followed by two delimiters and nothing else ("/k1/v1//", as the BD Accuri
            // C6 writes, FlowCal PR #253): the final delimiter and a stray one, not an escaped
            // delimiter ending the last value (FCS 3.1 section 3.2.7 forbids delimiters at
            // either end of a value).
            tokens.add(cur.toByteArray());
            cur.reset();
            extraFinalDelimiter = true;
            endedWithDelimiter = true;
            i++;
            continue;
          }
          if (afterName && !tripled) {
            // A doubled delimiter right after a keyword name: an empty value, as FCS 2.0 writers
            // (BD CellQuest, Attune) emit, not an escape inside the name (flowCore reads it so
            // too).
            tokens.add(cur.toByteArray());
            tokens.add(new byte[0]);
            cur.reset();
            emptyValues++;
            i++;
            endedWithDelimiter = i == n - 1;
            continue;
          }
          if (!afterName) {
            cur.write(b); // escaped delimiter inside a value (FCS 3.1 section 3.2.7)
            i++;
            continue;
          }
          // Three or more after a name: this one ends the name; the value starts with an escape.
        }
        tokens.add(cur.toByteArray());
        cur.reset();
        endedWithDelimiter = i == n - 1;
      } else {
        cur.write(b);
        endedWithDelimiter = false;
      }
    }
    if (cur.size() > 0) {
      byte[] tail = cur.toByteArray();
      if (isPadding(tail)) {
        if (!endedWithDelimiter && tokens.size() % 2 == 0) {
          // Padding after the last delimiter (NULs or spaces up to the HEADER's TEXT end):
          // harmless.
          warnings.add(
              new FcsWarning(
                  "TEXT_PADDING",
                  which.label()
                      + " has "
                      + tail.length
                      + " padding byte(s) after its last delimiter"));
        }
      } else {
        tokens.add(tail);
        warnings.add(
            new FcsWarning(
                "TEXT_NO_FINAL_DELIMITER",
                which.label()
                    + " does not end with its delimiter; the last value ends at the segment end"));
      }
    }

    Map<String, String> out = new LinkedHashMap<>();
    int spaced = 0;
    for (int k = 0; k + 1 < tokens.size(); k += 2) {
      String rawKey = decode(tokens.get(k));
      String rawValue = decode(tokens.get(k + 1));
      String key = Keywords.normalise(rawKey);
      String value = rawValue.trim();
      if (rawKey.length() != rawKey.trim().length() || rawValue.length() != value.length()) {
        spaced++;
      }
      if (key.isEmpty()) {
        warnings.add(
            new FcsWarning(
                "TEXT_EMPTY_KEYWORD",
                which.label()
                    + " has an empty keyword name (value '"
                    + FcsHeader.printable(value)
                    + "'); ignored"));
        continue;
      }
      if (out.containsKey(key)) {
        if (!out.get(key).equals(value)) {
          warnings.add(
              new FcsWarning(
                  "TEXT_DUPLICATE_KEYWORD",
                  which.label()
                      + " repeats keyword "
                      + key
                      + " with value '"
                      + FcsHeader.printable(value)
                      + "' (first value '"
                      + FcsHeader.printable(out.get(key))
                      + "' kept)"));
        }
        continue;
      }
      out.put(key, value);
    }
    if (extraFinalDelimiter) {
      warnings.add(
          new FcsWarning(
              "TEXT_EXTRA_FINAL_DELIMITER",
              which.label()
                  + " ends with its "
                  + "delimiter twice after the last value; read as the final delimiter and a stray one, "
                  + "not as a delimiter inside the value"));
    }
    if (emptyValues > 0) {
      warnings.add(
          new FcsWarning(
              "TEXT_EMPTY_VALUE",
              emptyValues
                  + " keyword(s) in "
                  + which.label()
                  + " have an empty value (a doubled delimiter after the name)"));
    }
    if (spaced > 0) {
      warnings.add(
          new FcsWarning(
              "TEXT_WHITESPACE",
              spaced
                  + " keyword(s) in "
                  + which.label()
                  + " had spaces around the name or value; trimmed"));
    }
    if (tokens.size() % 2 == 1) {
      String orphan = decode(tokens.get(tokens.size() - 1)).trim();
      if (!orphan.isEmpty()) {
        warnings.add(
            new FcsWarning(
                "TEXT_ORPHAN_KEYWORD",
                which.label()
                    + " ends with keyword '"
                    + FcsHeader.printable(orphan)
                    + "' that has no value; ignored"));
      }
    }
    return out;
  }

  static void checkDelimiter(String source, FcsSegment which, long offset, int delim)
      throws FcsFormatException {
    boolean alnum =
        (delim >= '0' && delim <= '9')
            || (delim >= 'A' && delim <= 'Z')
            || (delim >= 'a' && delim <= 'z');
    if (delim == 0 || delim > 126 || alnum || delim == '$') {
      throw new FcsFormatException(
          source,
          which,
          offset,
          FcsErrorCode.BAD_DELIMITER,
          String.format(
              "delimiter 0x%02x%s is not allowed (FCS 3.1 section 3.2.7: an ASCII "
                  + "character 1-126 that is not part of keywords or values)",
              delim, delim >= 0x20 && delim < 0x7f ? " ('" + (char) delim + "')" : ""));
    }
  }

  /** Checks a delimiter a writer wants to use, with the rules of {@link #checkDelimiter}. */
  static void checkDelimiterChar(char delim) {
    try {
      checkDelimiter("(writer)", FcsSegment.TEXT, -1, delim);
    } catch (FcsFormatException e) {
      throw new IllegalArgumentException("Cannot write FCS: " + e.reason());
    }
  }

  private static boolean isPadding(byte[] b) {
    return isPadding(b, 0, b.length);
  }

  /** Whether {@code b[from..to)} holds only NULs and white space (nothing, too). */
  private static boolean isPadding(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      byte x = b[i];
      if (x != 0 && x != ' ' && x != '\n' && x != '\r' && x != '\t') {
        return false;
      }
    }
    return true;
  }

  private static String decode(byte[] b) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(b, StandardCharsets.ISO_8859_1);
    }
  }
}
