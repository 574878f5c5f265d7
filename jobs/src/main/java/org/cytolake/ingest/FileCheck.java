package org.cytolake.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.fcs.FcsInput;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsWarning;

/**
 * What ingest learns about one input file before reading its events: size, SHA-256, and the
 * first data set's metadata, or the reason it cannot be read. Small and serializable: one per
 * file travels from the executors to the driver.
 *
 * @param path the file as read
 * @param size bytes
 * @param sha256 hex SHA-256 of the bytes
 * @param version FCS version, or null when unreadable
 * @param dataType $DATATYPE
 * @param declaredEvents $TOT (-1 when absent)
 * @param events events that can be read (-1 when the DATA segment cannot be read)
 * @param detectors $PnN (or Pn) of every parameter
 * @param labels $PnS of every parameter (null entries where absent)
 * @param bits $PnB of every parameter
 * @param ranges $PnR of every parameter (NaN where absent)
 * @param spilloverChannels channels of the file's spillover matrix, or null when it has none
 * @param instrument $CYT, or null
 * @param warnings reader warning codes (deviations tolerated)
 * @param warningMessages the warnings in full
 * @param errorCode FcsErrorCode name when the file cannot be read, else null
 * @param errorMessage the reader's message, else null
 * @param errorOffset byte offset of the problem, or -1
 * @param linkKeywords values of the FCS keywords ingest may link a file by (only those asked for)
 */
public record FileCheck(
    String path,
    long size,
    String sha256,
    String version,
    String dataType,
    long declaredEvents,
    long events,
    List<String> detectors,
    List<String> labels,
    List<Integer> bits,
    List<Double> ranges,
    List<String> spilloverChannels,
    String instrument,
    List<String> warnings,
    List<String> warningMessages,
    String errorCode,
    String errorMessage,
    long errorOffset,
    Map<String, String> linkKeywords)
    implements Serializable {

  public FileCheck {
    linkKeywords = Map.copyOf(linkKeywords);
  }

  public boolean readable() {
    return errorCode == null;
  }

  /**
   * Tasks that inspect {@code files} files: up to four per core, so that a few large files do not
   * hold back the rest, never more than one per file nor fewer than one.
   */
  public static int inspectTasks(int files, int cores) {
    return Math.max(1, Math.min(files, cores * 4));
  }

  /**
   * Reads metadata (HEADER and TEXT) and hashes every byte of {@code in}; keeps the values of
   * {@code keepKeywords} (FCS keywords a file may be linked by) where present.
   */
  public static FileCheck inspect(FcsInput in, List<String> keepKeywords) throws IOException {
    return inspect(in, keepKeywords, null);
  }

  /**
   * Like {@link #inspect(FcsInput, List)}, but when {@code knownSha256} is given (the ledger's
   * hash of a file whose size and modification time have not changed) the bytes are not read
   * again: only HEADER and TEXT are.
   */
  public static FileCheck inspect(FcsInput in, List<String> keepKeywords, String knownSha256)
      throws IOException {
    long size = in.length();
    String sha = knownSha256 != null ? knownSha256 : sha256(in, size);
    try {
      List<FcsDataset> all = FcsReader.readDatasets(in);
      FcsDataset ds = all.get(0);
      List<String> det = new ArrayList<>();
      List<String> lab = new ArrayList<>();
      List<Integer> bits = new ArrayList<>();
      List<Double> ranges = new ArrayList<>();
      for (FcsParameter p : ds.parameters()) {
        det.add(p.id());
        lab.add(p.label());
        bits.add(p.bits());
        ranges.add(p.range());
      }
      List<String> codes = new ArrayList<>();
      List<String> msgs = new ArrayList<>();
      for (FcsWarning w : ds.warnings()) {
        codes.add(w.code());
        msgs.add(w.toString());
      }
      String errCode = null;
      String errMsg = null;
      long errOff = -1;
      long events = -1;
      if (ds.dataError().isPresent()) {
        FcsFormatException e = ds.dataError().get();
        errCode = e.code().name();
        errMsg = e.getMessage();
        errOff = e.offset();
      } else {
        events = ds.data().events();
      }
      return new FileCheck(
          in.name(),
          size,
          sha,
          ds.version(),
          ds.dataType().name(),
          ds.declaredEvents(),
          events,
          det,
          java.util.Collections.unmodifiableList(lab),
          bits,
          ranges,
          ds.spillover().map(s -> List.copyOf(s.channels())).orElse(null),
          ds.keywords().getOrNull("$CYT"),
          codes,
          msgs,
          errCode,
          errMsg,
          errOff,
          keep(ds, keepKeywords));
    } catch (FcsFormatException e) {
      return new FileCheck(
          in.name(),
          size,
          sha,
          null,
          null,
          -1,
          -1,
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          null,
          null,
          List.of(),
          List.of(),
          e.code().name(),
          e.getMessage(),
          e.offset(),
          Map.of());
    }
  }

  private static Map<String, String> keep(FcsDataset ds, List<String> keys) {
    Map<String, String> out = new java.util.HashMap<>();
    for (String k : keys) {
      String v = ds.keywords().getOrNull(k);
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }

  private static String sha256(FcsInput in, long size) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 20];
    for (long at = 0; at < size; at += buf.length) {
      int n = (int) Math.min(buf.length, size - at);
      in.readFully(at, buf, 0, n);
      md.update(buf, 0, n);
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
