package org.cytolake.fcs;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the metadata of every data set of an FCS 2.0, 3.0, 3.1 or 3.2 file, in the fixed order
 * HEADER → TEXT → supplemental TEXT → parameters → DATA location, following {@code $NEXTDATA}.
 * ANALYSIS segments are skipped. The DATA segment is never read here; {@link FcsFile#events} streams
 * it.
 *
 * <p>Known deviations of real instruments and exporters are read with a recorded {@link
 * FcsWarning} (never silently); the README's quirk table names the writers each is known from:
 *
 * <ul>
 *   <li>HEADER (FCS 3.1 section 3.1: offsets name a segment's first and last byte, and are 0 when
 *       only TEXT holds them): ends one past the last byte, recognised by the offsets themselves
 *       and not by who wrote the file: a TEXT end that is the first DATA or supplemental TEXT
 *       byte, or the file length ({@code TEXT_END_EXCLUSIVE}); a DATA end one past the last event
 *       ({@code DATA_END_EXCLUSIVE}; without {@code $TOT}, one that is the file length); both at
 *       once ({@code OFFSETS_EXCLUSIVE}, as Cytobank's "PengQiu FCS writer" does); HEADER and
 *       TEXT DATA offsets that disagree (the pair that holds {@code $TOT} × event width after the
 *       TEXT and inside the file wins, HEADER when both do); a DATA end of 99,999,999, or a DATA
 *       start without an end; an empty DATA or ANALYSIS segment written as 0,-1; bytes 6-9 that
 *       are not spaces.
 *   <li>TEXT (sections 3.2.7 and 3.2.9): no final delimiter, or the delimiter twice after the last
 *       value; padding after it; spaces around keywords or values; an empty value; keyword names
 *       in any case.
 *   <li>supplemental TEXT ({@code $BEGINSTEXT}/{@code $ENDSTEXT}, section 3.2.18): offsets into the
 *       primary TEXT, past the file, or at bytes that are not TEXT are ignored; an exclusive end
 *       that is the DATA start.
 *   <li>keywords (required ones, section 3.2.18; {@code $PnE}, section 3.2.20): {@code
 *       $BEGINDATA}/{@code $ENDDATA} missing in FCS 3.x (HEADER offsets used); {@code $TOT}
 *       missing (counted from the DATA length) or disagreeing with it (the complete events that
 *       are there are read); {@code $PnE} missing (linear), log amplification of floating-point
 *       values (linear) or with offset 0 (1 is used); {@code $PnN} missing (Pn) or repeated (kept;
 *       a lookup finds the first); float {@code $PnB} other than 32/64; {@code $NEXTDATA} one
 *       byte off.
 *   <li>spillover: {@code $SPILLOVER}, {@code SPILL}, {@code $SPILL} or {@code SPILLOVER},
 *       naming channels by {@code $PnN}, {@code $PnS} or parameter number, or a subset of them;
 *       FCS 3.0 {@code $COMP} and FCS 2.0 {@code $DFCnTOm} name no channels and are not read.
 * </ul>
 *
 * <p>Anything else that is wrong is an {@link FcsFormatException} naming the segment, byte offset
 * and value; a message about a byte past the end names the file's last byte, since end offsets
 * are inclusive.
 */
public final class FcsReader {
  /** Data sets followed through {@code $NEXTDATA} at most (a guard against cyclic offsets). */
  public static final int MAX_DATASETS = 10_000;

  private FcsReader() {}

  /** Opens a local file. The returned {@link FcsFile} owns the open channel. */
  public static FcsFile open(Path path) throws IOException {
    FcsInput in = FcsInput.of(path);
    try {
      return open(in);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Reads all data sets' metadata from {@code in}; the returned file owns {@code in}. */
  public static FcsFile open(FcsInput in) throws IOException {
    return new FcsFile(in, readDatasets(in));
  }

  /** Reads all data sets' metadata without taking ownership of {@code in}. */
  public static List<FcsDataset> readDatasets(FcsInput in) throws IOException {
    String source = in.name();
    long fileLength = in.length();
    if (fileLength == 0) {
      throw new FcsFormatException(
          source, FcsSegment.FILE, -1, FcsErrorCode.TRUNCATED_HEADER, "the file is empty");
    }
    List<FcsDataset> out = new ArrayList<>();
    long offset = 0;
    while (true) {
      FcsDataset ds;
      try {
        ds = readDataset(in, source, fileLength, out.size(), offset);
      } catch (FcsFormatException e) {
        if (out.isEmpty()) {
          throw e;
        }
        // A broken later data set does not spoil the earlier ones; say so on the last good one.
        FcsDataset last = out.remove(out.size() - 1);
        out.add(
            withWarning(
                last,
                new FcsWarning(
                    "NEXTDATA_UNREADABLE",
                    "data set "
                        + (out.size() + 1)
                        + " at byte "
                        + offset
                        + " cannot be read and is "
                        + "ignored: "
                        + e.getMessage())));
        break;
      }
      out.add(ds);
      if (ds.nextOffset() == 0 || out.size() >= MAX_DATASETS) {
        break;
      }
      offset = ds.nextOffset();
    }
    return List.copyOf(out);
  }

  private static FcsDataset withWarning(FcsDataset d, FcsWarning w) {
    List<FcsWarning> ws = new ArrayList<>(d.warnings());
    ws.add(w);
    return new FcsDataset(
        d.source(),
        d.index(),
        d.offset(),
        d.header(),
        d.keywords(),
        d.parameters(),
        d.dataType(),
        d.byteOrder(),
        d.byteOrderKeyword(),
        d.layout(),
        d.declaredEvents(),
        d.spillover().orElse(null),
        d.hasReadableData() ? dataOf(d) : null,
        d.dataError().orElse(null),
        0,
        ws);
  }

  private static DataSegment dataOf(FcsDataset d) {
    try {
      return d.data();
    } catch (FcsFormatException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FcsDataset readDataset(
      FcsInput in, String source, long fileLength, int index, long base) throws IOException {
    List<FcsWarning> warnings = new ArrayList<>();

    // 1. HEADER
    if (fileLength - base < FcsHeader.LENGTH) {
      throw new FcsFormatException(
          source,
          FcsSegment.HEADER,
          base,
          FcsErrorCode.TRUNCATED_HEADER,
          "an FCS HEADER needs "
              + FcsHeader.LENGTH
              + " bytes but the file has only "
              + (fileLength - base)
              + (base > 0 ? " from byte " + base : ""));
    }
    byte[] hb = read(in, source, FcsSegment.HEADER, base, FcsHeader.LENGTH);
    FcsHeader header = FcsHeader.parse(source, hb, base, warnings);

    // 2. primary TEXT
    long ts = header.textStart();
    long te = header.textEnd();
    if (ts < FcsHeader.LENGTH) {
      throw new FcsFormatException(
          source,
          FcsSegment.HEADER,
          base + 10,
          FcsErrorCode.BAD_OFFSETS,
          "TEXT start " + ts + " lies inside the 58-byte HEADER");
    }
    if (te < ts) {
      throw new FcsFormatException(
          source,
          FcsSegment.HEADER,
          base + 18,
          FcsErrorCode.BAD_OFFSETS,
          "TEXT end " + te + " is before TEXT start " + ts);
    }
    long available = fileLength - base; // bytes from this HEADER to the end of the file
    if (te > available || (te == available && te == ts)) {
      throw new FcsFormatException(
          source,
          FcsSegment.TEXT,
          base + ts,
          FcsErrorCode.BAD_OFFSETS,
          "TEXT segment ends at byte " + (base + te) + pastTheEnd(fileLength));
    }
    // An exclusive TEXT end (one past the final delimiter: Cytobank's "PengQiu FCS writer",
    // Helios, MACSQuantify; FCS 3.1 section 3.1 wants the last byte) is recognised by the offsets
    // alone: it is the file length, or the first byte of the supplemental TEXT or of the DATA
    // segment, and then only when no DATA pair fits after the TEXT as written.
    byte[] text =
        read(in, source, FcsSegment.TEXT, base + ts, (int) (te - ts + (te == available ? 0 : 1)));
    Parsed asWritten = te == available ? null : parseText(source, text, base + ts);
    String why =
        asWritten == null
            ? "is the file length, one past its last byte"
            : header.dataStart() == te
                ? "is the HEADER's DATA start"
                : parseOffset(asWritten.keywords().get("$BEGINDATA")) == te
                    ? "is $BEGINDATA"
                    : parseOffset(asWritten.keywords().get("$BEGINSTEXT")) == te
                        ? "is $BEGINSTEXT"
                        : null;
    if (why == null) {
      return finish(in, source, fileLength, index, base, header, warnings, asWritten, null)
          .dataset();
    }
    Parsed trimmed =
        parseText(
            source, asWritten == null ? text : Arrays.copyOf(text, text.length - 1), base + ts);
    if (asWritten == null || why.equals("is $BEGINSTEXT")) {
      return finish(in, source, fileLength, index, base, header, warnings, trimmed, why).dataset();
    }
    // The TEXT end is the DATA start: one of the two is off. The TEXT as written wins when a DATA
    // pair holds $TOT events after it (HEADER and TEXT DATA starts that differ by one, as in
    // cytofkit issue 6); else the TEXT ends a byte earlier when that lets the DATA start there.
    Attempt inclusive = null;
    FcsFormatException inclusiveError = null;
    try {
      inclusive = finish(in, source, fileLength, index, base, header, warnings, asWritten, null);
      if (inclusive.fitted()) {
        return inclusive.dataset();
      }
    } catch (FcsFormatException e) {
      inclusiveError = e;
    }
    Attempt exclusive;
    try {
      exclusive = finish(in, source, fileLength, index, base, header, warnings, trimmed, why);
    } catch (FcsFormatException e) {
      if (inclusive != null) {
        return inclusive.dataset();
      }
      throw inclusiveError;
    }
    return inclusive == null || exclusive.fitted() || exclusive.dataStart() == te
        ? exclusive.dataset()
        : inclusive.dataset();
  }

  /** A TEXT segment's keywords and the warnings parsing it gave. */
  private record Parsed(Map<String, String> keywords, List<FcsWarning> warnings, int delimiter) {}

  private static Parsed parseText(String source, byte[] text, long at) throws FcsFormatException {
    List<FcsWarning> w = new ArrayList<>();
    Map<String, String> kw = FcsTextParser.parse(source, text, at, FcsSegment.TEXT, -1, w);
    return new Parsed(kw, w, text[0] & 0xff);
  }

  /**
   * A data set read with one reading of its TEXT end.
   *
   * @param fitted whether a DATA pair held {@code $TOT} events after the TEXT
   * @param dataStart the DATA start used (relative), or -1 when the events cannot be located
   */
  private record Attempt(FcsDataset dataset, boolean fitted, long dataStart) {}

  /**
   * Steps 3 to 6 for one reading of the TEXT end: {@code textEndWhy} is null when the HEADER's TEXT
   * end is taken as written, else why it is one past the TEXT.
   */
  private static Attempt finish(
      FcsInput in,
      String source,
      long fileLength,
      int index,
      long base,
      FcsHeader header,
      List<FcsWarning> headerWarnings,
      Parsed parsed,
      String textEndWhy)
      throws IOException {
    List<FcsWarning> warnings = new ArrayList<>(headerWarnings);
    warnings.addAll(parsed.warnings());
    Map<String, String> kw = new java.util.LinkedHashMap<>(parsed.keywords());
    int delimiter = parsed.delimiter();
    long ts = header.textStart();
    long te = header.textEnd();
    long lastTextByte = textEndWhy != null ? te - 1 : te;
    boolean textEndUnreported = textEndWhy != null;

    // 3. supplemental TEXT (FCS 3.0+)
    readSupplementalText(
        in, source, fileLength, base, header, ts, lastTextByte, delimiter, kw, warnings);
    Keywords keywords = new Keywords(kw);

    // 4. parameters and encoding
    String mode = keywords.getOrNull("$MODE");
    if (mode != null && !mode.equalsIgnoreCase("L")) {
      throw textError(
          source,
          FcsErrorCode.UNSUPPORTED,
          "$MODE is '"
              + mode
              + "': only list mode (L) data can be read; histogram modes C and U "
              + "were removed in FCS 3.1");
    }
    int par = (int) requiredLong(source, keywords, "$PAR", 0, 1_000_000);
    DataType dataType = DataType.parse(keywords.getOrNull("$DATATYPE"));
    if (dataType == null) {
      throw missingOrBad(source, keywords, "$DATATYPE", "one of I, F, D, A");
    }
    List<FcsParameter> params = new ArrayList<>(par);
    for (int n = 1; n <= par; n++) {
      params.add(parameter(source, keywords, n, dataType, warnings));
    }
    summarise(
        warnings,
        params,
        p -> !keywords.contains("$P" + p.index() + "R"),
        "MISSING_PNR",
        "R",
        "missing; integer values are not masked");
    summarise(
        warnings,
        params,
        p -> p.decades() > 0 && isZeroOffset(keywords, p.index()),
        "PNE_ZERO_OFFSET",
        "E",
        "log offset 0, which FCS 3.1 section 3.2.20 forbids; 1 is used");
    summarise(
        warnings,
        params,
        p -> p.type() != DataType.I && declaredDecades(keywords, p.index()) > 0,
        "PNE_LOG_FLOAT",
        "E",
        "log amplification of floating-point values, which FCS 3.1 section 3.2.20 allows "
            + "for integer data only; read as linear (0,0)");
    if (!header.version().equals("FCS2.0")) {
      summarise(
          warnings,
          params,
          p -> !keywords.contains("$P" + p.index() + "E"),
          "MISSING_PNE",
          "E",
          "missing (required since FCS 3.0, section 3.2.18); read as linear (0,0)");
    }
    duplicateNames(warnings, params);
    boolean binary =
        params.stream().allMatch(p -> p.type() != DataType.A) && dataType != DataType.A;
    String byteOrd = keywords.getOrNull("$BYTEORD");
    ByteOrder order = ByteOrder.BIG_ENDIAN;
    String byteOrdNorm = null;
    if (byteOrd == null) {
      boolean singleBytes = params.stream().allMatch(p -> p.type() == DataType.I && p.bits() <= 8);
      if (binary && !singleBytes && par > 0) {
        throw textError(
            source, FcsErrorCode.MISSING_KEYWORD, "required keyword $BYTEORD is missing");
      }
    } else {
      byteOrdNorm = byteOrd.replace(" ", "");
      order = byteOrder(source, byteOrdNorm);
    }
    long tot = optionalLong(source, keywords, "$TOT");
    if (tot < 0 && !header.version().equals("FCS2.0")) {
      warnings.add(
          new FcsWarning(
              "MISSING_TOT",
              "required keyword $TOT is missing; the event "
                  + "count is taken from the DATA segment length"));
    }
    Spillover spillover = spillover(keywords, params, warnings);

    // 5. where the events are (never reads them)
    EventLayout layout = null;
    DataSegment data = null;
    Located at = null;
    FcsFormatException dataError = null;
    if (!binary) {
      dataError =
          textError(
              source,
              FcsErrorCode.UNSUPPORTED,
              "$DATATYPE A (ASCII) data cannot be read: it is deprecated since FCS 3.1 and not "
                  + "supported");
    } else {
      layout = EventLayout.of(order, params);
      try {
        at =
            locateData(
                source, fileLength, base, header, lastTextByte, keywords, layout, tot, warnings);
        data = at.data();
        if (at.exclusiveEnd() && textEndUnreported) {
          warnings.add(
              new FcsWarning(
                  "OFFSETS_EXCLUSIVE",
                  (at.which().equals("HEADER")
                          ? "HEADER gives TEXT/DATA ends"
                          : "HEADER gives the TEXT end and $ENDDATA the DATA " + "end")
                      + " as exclusive offsets (TEXT "
                      + ts
                      + ".."
                      + te
                      + ", DATA "
                      + at.start()
                      + ".."
                      + at.end()
                      + creator(keywords)
                      + "); read as "
                      + ts
                      + ".."
                      + (te - 1)
                      + " and "
                      + at.start()
                      + ".."
                      + (at.end() - 1)));
          textEndUnreported = false;
        } else if (at.exclusiveEnd()) {
          warnings.add(
              new FcsWarning(
                  "DATA_END_EXCLUSIVE",
                  at.which()
                      + " DATA end "
                      + at.end()
                      + " is one byte past the last event byte ("
                      + (at.end() - 1)
                      + ")"));
        }
      } catch (FcsFormatException e) {
        dataError = e;
      }
    }
    if (textEndUnreported) {
      warnings.add(
          new FcsWarning(
              "TEXT_END_EXCLUSIVE",
              "HEADER TEXT end "
                  + te
                  + " "
                  + textEndWhy
                  + ", so it is one byte past the TEXT"
                  + creator(keywords)
                  + "; read as "
                  + ts
                  + ".."
                  + (te - 1)));
    }

    // 6. next data set
    long next = nextData(in, source, fileLength, base, keywords, warnings);
    return new Attempt(
        new FcsDataset(
            source,
            index,
            base,
            header,
            keywords,
            params,
            dataType,
            order,
            byteOrdNorm,
            layout,
            tot,
            spillover,
            data,
            dataError,
            next,
            warnings),
        at != null && at.fitted(),
        at != null && dataError == null ? at.start() : -1);
  }

  /** "; the writer is 'X'" from {@code $CREATOR} or {@code CREATOR}, or nothing. */
  private static String creator(Keywords kw) {
    String c = kw.getOrNull("$CREATOR");
    c = c != null ? c : kw.getOrNull("CREATOR");
    return c == null || c.isBlank() ? "" : "; the writer is '" + FcsHeader.printable(c) + "'";
  }

  /**
   * " (0-based, inclusive) but the file's last byte is N-1 (the file has N bytes)": how to say that
   * a segment's last byte (FCS 3.1 section 3.1: end offsets name the last byte) is not in the file.
   */
  private static String pastTheEnd(long fileLength) {
    return " (0-based, inclusive)" + lastByte(fileLength);
  }

  /** " but the file's last byte is N-1 (the file has N bytes)". */
  private static String lastByte(long fileLength) {
    return " but the file's last byte is "
        + (fileLength - 1)
        + " (the file has "
        + fileLength
        + " bytes)";
  }

  /**
   * Reads the supplemental TEXT ({@code $BEGINSTEXT}..{@code $ENDSTEXT}, FCS 3.1 section 3.2.18)
   * into {@code kw}; the primary TEXT wins conflicts. Offsets that point into the primary TEXT
   * (the BD Accuri C6 writes 58..2525 inside its TEXT; some writers repeat the primary TEXT's),
   * past the file, or at bytes that are not TEXT (the Sysmex CyFlow Cube 8 stores a ZIP archive
   * there) are ignored with a warning; an end that is the DATA start is an exclusive end.
   */
  private static void readSupplementalText(
      FcsInput in,
      String source,
      long fileLength,
      long base,
      FcsHeader header,
      long ts,
      long te,
      int delimiter,
      Map<String, String> kw,
      List<FcsWarning> warnings)
      throws IOException {
    long ss = parseOffset(kw.get("$BEGINSTEXT"));
    long se = parseOffset(kw.get("$ENDSTEXT"));
    if (ss <= 0 || se <= 0) {
      return;
    }
    String range = "supplemental TEXT offsets " + ss + ".." + se;
    String outside =
        se < ss
            ? "end before their start"
            : ss < FcsHeader.LENGTH
                ? "start inside the 58-byte HEADER"
                : se >= fileLength - base
                    ? "end at byte " + addOrMax(base, se) + pastTheEnd(fileLength)
                    : se - ss + 1 > Integer.MAX_VALUE - 8 ? "span more than 2 GiB" : null;
    if (outside != null) {
      warnings.add(new FcsWarning("STEXT_OFFSETS", range + " " + outside + "; ignored"));
      return;
    }
    if (ss <= te && se >= ts) {
      warnings.add(
          new FcsWarning(
              "STEXT_OVERLAP",
              range
                  + (ss == ts && se == te
                      ? " are the primary TEXT's"
                      : " overlap the primary TEXT (" + ts + ".." + te + ")")
                  + "; ignored"));
      return;
    }
    if (se > ss && (se == header.dataStart() || se == parseOffset(kw.get("$BEGINDATA")))) {
      warnings.add(
          new FcsWarning(
              "STEXT_END_EXCLUSIVE",
              "$ENDSTEXT "
                  + se
                  + " is the DATA start, "
                  + "one past the supplemental TEXT; read as "
                  + ss
                  + ".."
                  + (se - 1)));
      se--;
    }
    byte[] st = read(in, source, FcsSegment.SUPPLEMENTAL_TEXT, base + ss, (int) (se - ss + 1));
    int nul = indexOfNul(st);
    if (nul >= 0) {
      warnings.add(
          new FcsWarning(
              "STEXT_NOT_TEXT",
              range
                  + " hold binary bytes (a NUL at byte "
                  + (base + ss + nul)
                  + ", before the end of the segment), not keywords; ignored"));
      return;
    }
    Map<String, String> more =
        FcsTextParser.parse(
            source, st, base + ss, FcsSegment.SUPPLEMENTAL_TEXT, delimiter, warnings);
    for (Map.Entry<String, String> e : more.entrySet()) {
      String prev = kw.putIfAbsent(e.getKey(), e.getValue());
      if (prev != null && !prev.equals(e.getValue())) {
        warnings.add(
            new FcsWarning(
                "STEXT_CONFLICT",
                "supplemental TEXT repeats "
                    + e.getKey()
                    + " with '"
                    + FcsHeader.printable(e.getValue())
                    + "'; primary TEXT value '"
                    + FcsHeader.printable(prev)
                    + "' kept"));
      }
    }
  }

  /** The first NUL byte that has something other than padding after it, or -1. */
  private static int indexOfNul(byte[] b) {
    int end = b.length;
    while (end > 0 && (b[end - 1] == 0 || b[end - 1] == ' ')) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      if (b[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static FcsParameter parameter(
      String source, Keywords kw, int n, DataType dataType, List<FcsWarning> warnings)
      throws FcsFormatException {
    String name = kw.getOrNull("$P" + n + "N");
    if (name == null) {
      warnings.add(
          new FcsWarning(
              "MISSING_PNN",
              "$P"
                  + n
                  + "N is missing; parameter "
                  + n
                  + " has no name (identified as P"
                  + n
                  + ")"));
    }
    String label = kw.getOrNull("$P" + n + "S");
    DataType type = dataType;
    String pt = kw.getOrNull("$P" + n + "DATATYPE");
    if (pt != null) {
      type = DataType.parse(pt);
      if (type == null || type == DataType.A) {
        throw textError(
            source,
            FcsErrorCode.BAD_KEYWORD_VALUE,
            "$P" + n + "DATATYPE is '" + FcsHeader.printable(pt) + "', not one of I, F, D");
      }
    }
    String bitsText = kw.getOrNull("$P" + n + "B");
    if (bitsText == null) {
      throw textError(
          source,
          FcsErrorCode.MISSING_KEYWORD,
          "required keyword $P"
              + n
              + "B is missing (parameter "
              + n
              + " of "
              + kw.getOrNull("$PAR")
              + ")");
    }
    int bits;
    if (type == DataType.A && bitsText.equals("*")) {
      bits = 0;
    } else {
      try {
        bits = Integer.parseInt(bitsText.trim());
      } catch (NumberFormatException e) {
        throw textError(
            source,
            FcsErrorCode.BAD_KEYWORD_VALUE,
            "$P" + n + "B is '" + FcsHeader.printable(bitsText) + "', not a number of bits");
      }
    }
    switch (type) {
      case I -> {
        if (bits < 1 || bits > 64) {
          throw textError(
              source,
              FcsErrorCode.UNSUPPORTED,
              "$P" + n + "B is " + bits + ": integer parameters must have 1 to 64 bits");
        }
      }
      case F, D -> {
        int want = type == DataType.F ? 32 : 64;
        if (bits != want) {
          warnings.add(
              new FcsWarning(
                  "PNB_FLOAT",
                  "$P"
                      + n
                      + "B is "
                      + bits
                      + " but $DATATYPE "
                      + type
                      + " values have "
                      + want
                      + " bits; using "
                      + want));
          bits = want;
        }
      }
      default -> {}
    }
    double range = Double.NaN;
    String r = kw.getOrNull("$P" + n + "R");
    if (r != null) {
      try {
        range = Double.parseDouble(r.trim());
      } catch (NumberFormatException e) {
        warnings.add(
            new FcsWarning(
                "BAD_PNR",
                "$P"
                    + n
                    + "R is '"
                    + FcsHeader.printable(r)
                    + "', not a number; integer values are not masked"));
      }
    }
    double decades = 0;
    double logOffset = 0;
    String e = kw.getOrNull("$P" + n + "E");
    if (e != null) {
      String[] f = e.split(",", -1);
      try {
        decades = Double.parseDouble(f[0].trim());
        logOffset = f.length > 1 ? Double.parseDouble(f[1].trim()) : 0;
        if (f.length != 2) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException ex) {
        warnings.add(
            new FcsWarning(
                "BAD_PNE",
                "$P"
                    + n
                    + "E is '"
                    + FcsHeader.printable(e)
                    + "', not 'decades,offset'; read as "
                    + decades
                    + ","
                    + logOffset));
      }
      if (decades > 0 && logOffset == 0) {
        logOffset = 1; // FCS 3.1 section 3.2.20; reported once for all parameters by the caller
      }
      if (type != DataType.I && decades > 0) {
        decades = 0; // floating-point values are linear (section 3.2.20); reported by the caller
        logOffset = 0;
      }
    }
    double gain = 1;
    String g = kw.getOrNull("$P" + n + "G");
    if (g != null) {
      try {
        gain = Double.parseDouble(g.trim());
      } catch (NumberFormatException ex) {
        warnings.add(
            new FcsWarning(
                "BAD_PNG",
                "$P" + n + "G is '" + FcsHeader.printable(g) + "', not a number; gain 1 is used"));
      }
    }
    return new FcsParameter(n, name, label, bits, range, type, decades, logOffset, gain);
  }

  /** One warning naming every parameter that matches, e.g. "$P1E, $P2E: log offset 0 ...". */
  private static void summarise(
      List<FcsWarning> warnings,
      List<FcsParameter> params,
      java.util.function.Predicate<FcsParameter> matches,
      String code,
      String letter,
      String what) {
    List<String> hits = new ArrayList<>();
    for (FcsParameter p : params) {
      if (matches.test(p)) {
        hits.add("$P" + p.index() + letter);
      }
    }
    if (!hits.isEmpty()) {
      warnings.add(new FcsWarning(code, String.join(", ", hits) + ": " + what));
    }
  }

  /** The first field of {@code $PnE} as written, 0 when absent or not a number. */
  private static double declaredDecades(Keywords kw, int n) {
    String e = kw.getOrNull("$P" + n + "E");
    try {
      return e == null ? 0 : Double.parseDouble(e.split(",", -1)[0].trim());
    } catch (NumberFormatException x) {
      return 0;
    }
  }

  /**
   * One warning naming every {@code $PnN} that more than one parameter has (FCS 3.1 section 3.2.18
   * wants them unique); the names are kept, and a lookup by name finds the first.
   */
  private static void duplicateNames(List<FcsWarning> warnings, List<FcsParameter> params) {
    Map<String, List<String>> byName = new java.util.LinkedHashMap<>();
    for (FcsParameter p : params) {
      if (p.name() != null) {
        byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add("$P" + p.index() + "N");
      }
    }
    List<String> dups = new ArrayList<>();
    byName.forEach(
        (name, keys) -> {
          if (keys.size() > 1) {
            dups.add(String.join(", ", keys) + " are all '" + FcsHeader.printable(name) + "'");
          }
        });
    if (!dups.isEmpty()) {
      warnings.add(
          new FcsWarning(
              "DUPLICATE_PNN",
              String.join("; ", dups)
                  + ": names are kept "
                  + "as written and a lookup by name finds the first"));
    }
  }

  private static boolean isZeroOffset(Keywords kw, int n) {
    String e = kw.getOrNull("$P" + n + "E");
    String[] f = e == null ? new String[0] : e.split(",");
    try {
      return f.length == 2 && Double.parseDouble(f[1].trim()) == 0;
    } catch (NumberFormatException x) {
      return false;
    }
  }

  private static ByteOrder byteOrder(String source, String v) throws FcsFormatException {
    return switch (v) {
      case "1,2,3,4", "1,2", "1", "1,2,3,4,5,6,7,8" -> ByteOrder.LITTLE_ENDIAN;
      case "4,3,2,1", "2,1", "8,7,6,5,4,3,2,1" -> ByteOrder.BIG_ENDIAN;
      default ->
          throw textError(
              source,
              FcsErrorCode.UNSUPPORTED,
              "$BYTEORD '"
                  + FcsHeader.printable(v)
                  + "' is not supported: "
                  + "only little endian (1,2,3,4) and big endian (4,3,2,1) are");
    };
  }

  private static Spillover spillover(
      Keywords kw, List<FcsParameter> params, List<FcsWarning> warnings) {
    for (String key : Spillover.KEYWORDS) {
      String v = kw.getOrNull(key);
      if (v == null) {
        continue;
      }
      Spillover s;
      try {
        s = Spillover.parse(key, v);
      } catch (IllegalArgumentException e) {
        warnings.add(new FcsWarning("BAD_SPILLOVER", e.getMessage() + "; no spillover matrix"));
        return null;
      }
      List<String> names = new ArrayList<>(s.channels().size());
      for (String c : s.channels()) {
        String resolved = c;
        if (params.stream().noneMatch(p -> c.equals(p.name()))) {
          resolved =
              params.stream()
                  .filter(p -> c.equals(p.label()))
                  .map(FcsParameter::id)
                  .findFirst()
                  .orElse(null);
          if (resolved == null && c.matches("[0-9]{1,6}")) {
            int idx = Integer.parseInt(c);
            if (idx >= 1 && idx <= params.size()) {
              resolved = params.get(idx - 1).id();
              warnings.add(
                  new FcsWarning(
                      "SPILLOVER_BY_INDEX",
                      key
                          + " names channel '"
                          + c
                          + "' by parameter number; mapped to $PnN '"
                          + resolved
                          + "'"));
              names.add(resolved);
              continue;
            }
          }
          if (resolved == null) {
            warnings.add(
                new FcsWarning(
                    "SPILLOVER_UNKNOWN_CHANNEL",
                    key + " names channel '" + c + "' that is not a $PnN or $PnS of this file"));
            resolved = c;
          } else {
            warnings.add(
                new FcsWarning(
                    "SPILLOVER_BY_LABEL",
                    key
                        + " names channel '"
                        + c
                        + "' by its $PnS; mapped to $PnN '"
                        + resolved
                        + "'"));
          }
        }
        names.add(resolved);
      }
      return new Spillover(key, names, s.matrix());
    }
    List<String> older = new ArrayList<>();
    for (String key : kw.asMap().keySet()) {
      if (key.equals("$COMP") || key.matches("\\$?DFC[0-9]+TO[0-9]+")) {
        older.add(key);
      }
    }
    if (!older.isEmpty()) {
      warnings.add(
          new FcsWarning(
              "COMPENSATION_NOT_READ",
              "no "
                  + String.join("/", Spillover.KEYWORDS)
                  + " keyword; the older compensation keyword(s) "
                  + String.join(", ", older.subList(0, Math.min(4, older.size())))
                  + (older.size() > 4 ? " and " + (older.size() - 4) + " more" : "")
                  + " name no channels and are not read as a spillover matrix"));
    }
    return null;
  }

  /**
   * Where the events are.
   *
   * @param data the located events
   * @param which {@code HEADER}, {@code TEXT} or {@code NONE}: whose offsets were used
   * @param start the DATA start as written (relative to the data set's HEADER)
   * @param end the DATA end as written
   * @param exclusiveEnd whether {@code end} is one past the last DATA byte
   * @param fitted whether the pair held {@code $TOT} events after the TEXT and inside the file
   */
  record Located(
      DataSegment data, String which, long start, long end, boolean exclusiveEnd, boolean fitted) {}

  /**
   * Reconciles HEADER and TEXT DATA offsets (both relative to {@code base}). A candidate pair fits
   * when its length is {@code $TOT} × event width (or one more: an exclusive end, as LMD writers,
   * the Accuri C6 and Cytobank have), it starts after the primary TEXT, and those bytes lie inside
   * the file. The caller reports an exclusive end (it may be one of a pair of exclusive ends).
   *
   * @param textEnd the last byte of the primary TEXT, relative to {@code base}
   */
  static Located locateData(
      String source,
      long fileLength,
      long base,
      FcsHeader header,
      long textEnd,
      Keywords kw,
      EventLayout layout,
      long tot,
      List<FcsWarning> warnings)
      throws FcsFormatException {
    int width = layout.eventBytes();
    long[] h = header.hasDataOffsets() ? new long[] {header.dataStart(), header.dataEnd()} : null;
    long[] t = null;
    long bs = parseOffset(kw.getOrNull("$BEGINDATA"));
    long be = parseOffset(kw.getOrNull("$ENDDATA"));
    if (bs > 0 && be > 0) {
      t = new long[] {bs, be};
    }
    if (header.dataEnd() >= FcsHeader.MAX_HEADER_OFFSET && t != null) {
      warnings.add(
          new FcsWarning(
              "HEADER_DATA_SENTINEL",
              "HEADER DATA offsets are "
                  + header.dataStart()
                  + ".."
                  + header.dataEnd()
                  + "; TEXT offsets used"));
    }
    if (header.dataStart() > 0 && header.dataEnd() == 0) {
      // FCS 3.1 section 3.1: both HEADER offsets are 0 when DATA is found in TEXT only.
      warnings.add(
          new FcsWarning(
              "HEADER_DATA_SPLIT",
              "HEADER DATA offsets are "
                  + header.dataStart()
                  + "..0, a start without an end; "
                  + (t != null ? "TEXT offsets used" : "ignored")));
    }
    if (h != null
        && !header.version().equals("FCS2.0")
        && (!kw.contains("$BEGINDATA") || !kw.contains("$ENDDATA"))) {
      warnings.add(
          new FcsWarning(
              "MISSING_TEXT_DATA_OFFSETS",
              "required keyword(s) "
                  + (kw.contains("$BEGINDATA") ? "" : "$BEGINDATA")
                  + (kw.contains("$BEGINDATA") || kw.contains("$ENDDATA") ? "" : ", ")
                  + (kw.contains("$ENDDATA") ? "" : "$ENDDATA")
                  + " missing (FCS 3.1 section 3.2.18); the HEADER's DATA offsets "
                  + h[0]
                  + ".."
                  + h[1]
                  + " are used"));
    }
    if (h == null && t == null) {
      if (tot == 0 || width == 0) {
        return new Located(new DataSegment(base, 0, width, "NONE"), "NONE", 0, 0, false, true);
      }
      throw new FcsFormatException(
          source,
          FcsSegment.DATA,
          -1,
          FcsErrorCode.BAD_OFFSETS,
          "neither the HEADER nor $BEGINDATA/$ENDDATA give the DATA offsets (HEADER "
              + header.dataStart()
              + ".."
              + header.dataEnd()
              + ", TEXT "
              + kw.getOrNull("$BEGINDATA")
              + ".."
              + kw.getOrNull("$ENDDATA")
              + ")");
    }
    if (width == 0) {
      return new Located(new DataSegment(base, 0, 0, "NONE"), "NONE", 0, 0, false, true);
    }
    long expected = tot >= 0 ? multiplyOrMax(tot, width) : -1;
    boolean hFits = h != null && fits(h, expected, base, fileLength, textEnd);
    boolean tFits = t != null && fits(t, expected, base, fileLength, textEnd);
    boolean disagree = h != null && t != null && (h[0] != t[0] || h[1] != t[1]);
    String hs = h == null ? null : h[0] + ".." + h[1];
    String tsx = t == null ? null : t[0] + ".." + t[1];
    if (hFits || tFits) {
      long[] use = hFits ? h : t;
      String which = hFits ? "HEADER" : "TEXT";
      if (disagree) {
        warnings.add(
            new FcsWarning(
                "DATA_OFFSET_DISAGREEMENT",
                "HEADER says DATA is at "
                    + hs
                    + ", TEXT ($BEGINDATA/$ENDDATA) says "
                    + tsx
                    + "; using "
                    + which
                    + ", which matches "
                    + "$TOT × event width ("
                    + tot
                    + " × "
                    + width
                    + " = "
                    + expected
                    + " bytes)"
                    + (hFits && tFits ? " as the other does too" : "")));
      }
      // ($BEGINDATA = $ENDDATA with $TOT 0 is the usual way to say "no events": not exclusive)
      boolean exclusive = expected > 0 && use[1] - use[0] + 1 == expected + 1;
      return new Located(
          new DataSegment(base + use[0], tot, width, which),
          which,
          use[0],
          use[1],
          exclusive,
          true);
    }
    if (disagree) {
      throw new FcsFormatException(
          source,
          FcsSegment.DATA,
          -1,
          FcsErrorCode.OFFSET_DISAGREEMENT,
          "HEADER says DATA is at "
              + hs
              + " and TEXT ($BEGINDATA/$ENDDATA) says "
              + tsx
              + "; neither holds $TOT × event width = "
              + tot
              + " × "
              + width
              + " = "
              + expected
              + " bytes after the TEXT (which ends at byte "
              + (base + textEnd)
              + ") and inside "
              + "the file ("
              + fileLength
              + " bytes)");
    }
    long[] use = h != null ? h : t;
    String which = h != null ? "HEADER" : "TEXT";
    long start = addOrMax(base, use[0]);
    long end = addOrMax(base, use[1]);
    if (end < start - 1) {
      throw new FcsFormatException(
          source,
          FcsSegment.DATA,
          start,
          FcsErrorCode.BAD_OFFSETS,
          which + " DATA end " + use[1] + " is before its start " + use[0]);
    }
    if (start >= fileLength) {
      throw new FcsFormatException(
          source,
          FcsSegment.DATA,
          start,
          FcsErrorCode.TRUNCATED_DATA,
          "DATA segment starts at byte " + start + " (0-based)" + lastByte(fileLength));
    }
    // Without $TOT, an end that is the file length and leaves whole events is an exclusive end
    // (with $TOT the fitting above decides; a file cut short must not pass for one).
    boolean exclusive = tot < 0 && end == fileLength && end > start && (end - start) % width == 0;
    if (exclusive) {
      end--;
    }
    if (end >= fileLength) {
      throw new FcsFormatException(
          source,
          FcsSegment.DATA,
          start,
          FcsErrorCode.TRUNCATED_DATA,
          "DATA segment ends at byte "
              + end
              + pastTheEnd(fileLength)
              + (expected >= 0 ? " ($TOT " + tot + " × " + width + " bytes per event)" : ""));
    }
    long length = end - start + 1;
    long events = length / width;
    long spare = length % width;
    if (tot < 0) {
      warnings.add(
          new FcsWarning(
              "TOT_FROM_DATA",
              "$TOT is absent; "
                  + events
                  + " events read "
                  + "from the DATA length ("
                  + length
                  + " bytes, "
                  + width
                  + " per event)"));
    } else {
      warnings.add(
          new FcsWarning(
              "TOT_MISMATCH",
              "$TOT says "
                  + tot
                  + " events ("
                  + expected
                  + " bytes) but the DATA segment "
                  + which
                  + " "
                  + use[0]
                  + ".."
                  + use[1]
                  + " holds "
                  + length
                  + " bytes: reading the "
                  + events
                  + " complete events that are there"
                  + (spare != 0 ? " and ignoring " + spare + " trailing byte(s)" : "")));
    }
    return new Located(
        new DataSegment(start, events, width, which), which, use[0], use[1], exclusive, false);
  }

  private static boolean fits(
      long[] pair, long expected, long base, long fileLength, long textEnd) {
    if (expected < 0) {
      return false;
    }
    long len = pair[1] - pair[0] + 1;
    return (len == expected || len == expected + 1)
        && pair[0] <= fileLength - base - expected
        && pair[0] > textEnd;
  }

  /** {@code a + b} for non-negative offsets, Long.MAX_VALUE where the sum would wrap around. */
  private static long addOrMax(long a, long b) {
    return b > Long.MAX_VALUE - a ? Long.MAX_VALUE : a + b;
  }

  private static long multiplyOrMax(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long nextData(
      FcsInput in,
      String source,
      long fileLength,
      long base,
      Keywords kw,
      List<FcsWarning> warnings)
      throws IOException {
    long rel = parseOffset(kw.getOrNull("$NEXTDATA"));
    if (rel <= 0) {
      return 0;
    }
    long abs = base + rel;
    for (long delta : new long[] {0, -1, 1}) {
      long at = abs + delta;
      if (at <= base || at > fileLength - FcsHeader.LENGTH) {
        continue;
      }
      byte[] magic = read(in, source, FcsSegment.HEADER, at, 3);
      if (magic[0] == 'F' && magic[1] == 'C' && magic[2] == 'S') {
        if (delta != 0) {
          warnings.add(
              new FcsWarning(
                  "NEXTDATA_OFF_BY_ONE",
                  "$NEXTDATA "
                      + rel
                      + " points "
                      + (delta > 0 ? "one byte before" : "one byte after")
                      + " the next HEADER, which is "
                      + "at byte "
                      + at));
        }
        return at;
      }
    }
    warnings.add(
        new FcsWarning(
            "NEXTDATA_INVALID",
            "$NEXTDATA "
                + rel
                + " (byte "
                + abs
                + ") "
                + "does not point to an FCS HEADER after this data set's and inside the file ("
                + fileLength
                + " bytes); ignored"));
    return 0;
  }

  private static long requiredLong(String source, Keywords kw, String key, long min, long max)
      throws FcsFormatException {
    String v = kw.getOrNull(key);
    if (v == null) {
      throw textError(
          source, FcsErrorCode.MISSING_KEYWORD, "required keyword " + key + " is missing");
    }
    long x;
    try {
      x = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw textError(
          source,
          FcsErrorCode.BAD_KEYWORD_VALUE,
          key + " is '" + FcsHeader.printable(v) + "', not a whole number");
    }
    if (x < min || x > max) {
      throw textError(
          source,
          FcsErrorCode.BAD_KEYWORD_VALUE,
          key + " is " + x + ", outside " + min + ".." + max);
    }
    return x;
  }

  /** A non-negative whole-number keyword, or -1 when absent. */
  private static long optionalLong(String source, Keywords kw, String key)
      throws FcsFormatException {
    return kw.contains(key) ? requiredLong(source, kw, key, 0, Long.MAX_VALUE / 2) : -1;
  }

  private static FcsFormatException missingOrBad(
      String source, Keywords kw, String key, String allowed) {
    String v = kw.getOrNull(key);
    return v == null
        ? textError(source, FcsErrorCode.MISSING_KEYWORD, "required keyword " + key + " is missing")
        : textError(
            source,
            FcsErrorCode.BAD_KEYWORD_VALUE,
            key + " is '" + FcsHeader.printable(v) + "', not " + allowed);
  }

  /** Parses an offset keyword value ("0000123", " 456 "); -1 when absent or not a number. */
  static long parseOffset(String v) {
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static byte[] read(FcsInput in, String source, FcsSegment segment, long at, int len)
      throws FcsFormatException {
    byte[] b = new byte[len];
    try {
      in.readFully(at, b, 0, len);
    } catch (EOFException e) {
      throw new FcsFormatException(
          source,
          segment,
          at,
          FcsErrorCode.BAD_OFFSETS,
          "cannot read " + len + " bytes: " + e.getMessage(),
          e);
    } catch (IOException e) {
      throw new FcsFormatException(
          source, segment, at, FcsErrorCode.IO, "I/O error: " + e.getMessage(), e);
    }
    return b;
  }

  /** A problem of the TEXT segment as a whole (a keyword's value, not a byte offset: -1). */
  private static FcsFormatException textError(String source, FcsErrorCode code, String reason) {
    return new FcsFormatException(source, FcsSegment.TEXT, -1, code, reason);
  }
}
