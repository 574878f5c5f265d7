package org.cytolake.ingest;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cytolake.tables.QuarantineReason;
import org.cytolake.tables.QuarantineRecord;

/**
 * A sample manifest (a LIMS export, CSV with a header): {@code file, patient_id, visit, panel}
 * required, {@code acquisition_date, batch} optional. Rows that cannot be used become quarantine
 * records naming the manifest line, field and value; the rest are returned in file order.
 */
public record Manifest(String source, List<ManifestRow> rows, List<QuarantineRecord> rejected) {
  public static final List<String> REQUIRED = List.of("file", "patient_id", "visit", "panel");

  public Manifest {
    rows = List.copyOf(rows);
    rejected = List.copyOf(rejected);
  }

  /** Parses a manifest; {@code source} names it in messages. */
  public static Manifest parse(String source, InputStream in, String job) throws IOException {
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<ManifestRow> rows = new ArrayList<>();
    List<QuarantineRecord> rejected = new ArrayList<>();
    List<String[]> lines = new ArrayList<>();
    try (MappingIterator<String[]> it =
        mapper.readerFor(String[].class).with(CsvSchema.emptySchema()).readValues(in)) {
      while (it.hasNextValue()) {
        lines.add(it.nextValue());
      }
    }
    if (lines.isEmpty()) {
      throw new IOException(
          "Cannot read manifest '"
              + source
              + "': it is empty (expected a "
              + "header with "
              + REQUIRED
              + ")");
    }
    String[] header = lines.get(0);
    List<String> names = new ArrayList<>();
    for (String h : header) {
      names.add(h.trim().toLowerCase(Locale.ROOT));
    }
    List<String> missing = REQUIRED.stream().filter(r -> !names.contains(r)).toList();
    if (!missing.isEmpty()) {
      throw new IOException(
          "Cannot read manifest '"
              + source
              + "': header "
              + names
              + " lacks required column(s) "
              + missing);
    }
    int iFile = names.indexOf("file");
    int iPatient = names.indexOf("patient_id");
    int iVisit = names.indexOf("visit");
    int iPanel = names.indexOf("panel");
    int iDate = names.indexOf("acquisition_date");
    int iBatch = names.indexOf("batch");
    int iControl = names.indexOf("control");
    for (int k = 1; k < lines.size(); k++) {
      String[] v = lines.get(k);
      int line = k + 1;
      String raw = String.join(",", v);
      Line at = new Line(job, source, line, raw);
      if (v.length == 1 && v[0].isBlank()) {
        continue;
      }
      if (v.length != header.length) {
        rejected.add(
            at.reject(
                QuarantineReason.Rejected.MALFORMED_ROW,
                " has " + v.length + " fields, the header has " + header.length,
                null,
                null));
        continue;
      }
      String bad = null;
      for (int i : new int[] {iFile, iPatient, iVisit, iPanel}) {
        if (v[i].isBlank()) {
          bad = names.get(i);
          break;
        }
      }
      if (bad != null) {
        rejected.add(
            at.reject(
                QuarantineReason.Rejected.MISSING_VALUE,
                ": required field '" + bad + "' is empty",
                bad,
                ""));
        continue;
      }
      String date = iDate >= 0 && !v[iDate].isBlank() ? v[iDate].trim() : null;
      if (date != null) {
        try {
          LocalDate.parse(date);
        } catch (DateTimeParseException e) {
          rejected.add(
              at.reject(
                  QuarantineReason.Rejected.MALFORMED_ROW,
                  ": acquisition_date '" + date + "' is not an ISO date (yyyy-MM-dd)",
                  "acquisition_date",
                  date));
          continue;
        }
      }
      String control = ManifestRow.role(iControl >= 0 ? v[iControl] : null);
      if ("?".equals(control)) {
        rejected.add(
            at.reject(
                QuarantineReason.Rejected.MALFORMED_ROW,
                ": control '"
                    + v[iControl].trim()
                    + "' is not one of true/yes/1/training (a control aliquot normalisation learns"
                    + " from), validation (a held-out one) or false/no/0 (a patient sample)",
                "control",
                v[iControl].trim()));
        continue;
      }
      String batch = iBatch >= 0 && !v[iBatch].isBlank() ? v[iBatch].trim() : null;
      if (control != null && date == null && batch == null) {
        rejected.add(
            at.reject(
                QuarantineReason.Rejected.MISSING_VALUE,
                ": a control row needs acquisition_date or batch (the batch it normalises)",
                "acquisition_date",
                ""));
        continue;
      }
      rows.add(
          new ManifestRow(
              line,
              v[iFile].trim(),
              v[iPatient].trim(),
              v[iVisit].trim(),
              v[iPanel].trim(),
              date,
              batch,
              control));
    }
    return new Manifest(source, rows, rejected);
  }

  /** A line of manifest {@code source}, as written ({@code raw}). */
  private record Line(String job, String source, int line, String raw) {
    /** Its dead letter: the message "manifest 'source' line N" followed by {@code detail}. */
    QuarantineRecord reject(QuarantineReason reason, String detail, String field, String value) {
      return new QuarantineRecord(
          job,
          source,
          "manifest line " + line,
          reason,
          "manifest '" + source + "' line " + line + detail,
          field,
          value,
          null,
          raw);
    }
  }
}
