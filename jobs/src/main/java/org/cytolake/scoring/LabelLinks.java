package org.cytolake.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Links the files named in a label CSV ({@code file,event_index,label}, file paths relative to the ingest input
 * root) to the lake's samples through the restricted {@code ingest_ledger}: a label file links to the ledger entry
 * whose path is the file's path or ends with {@code /} and it (path-separator aligned, {@code \} read as {@code /}).
 * A file the ledger does not know, or knows only without a sample (quarantined), is skipped and counted; a file
 * whose path matches entries of several samples is an error.
 */
public final class LabelLinks {
  private LabelLinks() {}

  /** One accepted entry of {@code ingest_ledger}: the file's path and the sample it became. */
  public record LedgerEntry(String path, String sampleId, String panel) {}

  /** A label file (as the label CSV names it) and the sample it is. */
  public record Link(String file, String sampleId, String panel) {}

  /**
   * @param links the linked label files, in the order given
   * @param skipped label files no ledger entry matches
   */
  public record Result(List<Link> links, long skipped) {
    public Result {
      links = List.copyOf(links);
    }
  }

  /** The header a label CSV must have. */
  public static final List<String> HEADER = List.of("file", "event_index", "label");

  /**
   * Checks the header of a label CSV.
   *
   * @param labels the label CSV, for the message
   * @throws IllegalArgumentException when {@code columns} is not {@link #HEADER}
   */
  public static void checkHeader(String labels, List<String> columns) {
    if (!columns.equals(HEADER)) {
      throw new IllegalArgumentException(
          "Cannot read labels '"
              + labels
              + "': expected the header "
              + "file,event_index,label but got "
              + String.join(",", columns));
    }
  }

  /**
   * Links every file of {@code files} (distinct) to {@code ledger} (entries with a sample).
   *
   * @param labels the label CSV, for the message
   * @throws IllegalArgumentException naming every label file that matches entries of several samples
   */
  public static Result link(String labels, List<String> files, List<LedgerEntry> ledger) {
    List<Link> links = new ArrayList<>();
    long skipped = 0;
    List<String> problems = new ArrayList<>();
    for (String labelFile : files) {
      String file = labelFile.replace('\\', '/');
      List<LedgerEntry> hits =
          ledger.stream()
              .filter(
                  r -> {
                    String p = r.path().replace('\\', '/');
                    return p.equals(file) || p.endsWith("/" + file);
                  })
              .toList();
      if (hits.stream().map(LedgerEntry::sampleId).distinct().count() > 1) {
        problems.add(
            "label file '"
                + file
                + "' matches ledger paths of several samples "
                + hits.stream().map(LedgerEntry::path).toList());
      } else if (hits.isEmpty()) {
        skipped++;
      } else {
        links.add(new Link(labelFile, hits.get(0).sampleId(), hits.get(0).panel()));
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot link labels '" + labels + "' to the lake: " + String.join("; ", problems));
    }
    return new Result(links, skipped);
  }
}
