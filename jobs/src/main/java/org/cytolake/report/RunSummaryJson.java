package org.cytolake.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a run summary JSON object (any job's {@code _runs/<run>/<job>.json}, or the nightly run's
 * with its step timings) into a {@link RunSummary}: top-level scalars become fields; a nested
 * object becomes a key/value table (nested deeper: dotted keys); a list of objects becomes a table
 * with the union of their keys as columns; a list of scalars becomes one comma-separated field.
 * Two keys have a meaning of their own: {@code status} (also a field) and {@code warnings} (a list
 * of lines, or one line), which the report shows as a banner when the status is not succeeded.
 */
public final class RunSummaryJson {
  private RunSummaryJson() {}

  /** Parses {@code json}; {@code what} names it in the error ("Cannot read run summary x: ..."). */
  public static RunSummary parse(String json, String what) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "Cannot read run summary " + what + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Cannot read run summary " + what + ": not a JSON object");
    }
    List<RunSummary.Field> fields = new ArrayList<>();
    List<RunSummary.Section> tables = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    JsonNode status = root.get("status");
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (e.getKey().equals("warnings") && (v.isArray() || v.isValueNode())) {
        if (v.isArray()) {
          v.forEach(w -> warnings.add(w.isValueNode() ? w.asText() : w.toString()));
        } else if (!v.isNull() && !v.asText().isBlank()) {
          warnings.add(v.asText());
        }
      } else if (v.isObject()) {
        List<List<String>> rows = new ArrayList<>();
        flatten("", v, rows);
        tables.add(
            new RunSummary.Section(
                e.getKey(), new ReportModel.DataTable(List.of("key", "value"), rows, rows.size())));
      } else if (v.isArray() && v.size() > 0 && allObjects(v)) {
        Set<String> columns = new LinkedHashSet<>();
        v.forEach(o -> o.fieldNames().forEachRemaining(columns::add));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode o : v) {
          List<String> r = new ArrayList<>();
          for (String c : columns) {
            r.add(o.has(c) ? scalar(o.get(c)) : null);
          }
          rows.add(r);
        }
        tables.add(
            new RunSummary.Section(
                e.getKey(), new ReportModel.DataTable(List.copyOf(columns), rows, rows.size())));
      } else {
        fields.add(new RunSummary.Field(e.getKey(), scalar(v)));
      }
    }
    return new RunSummary(
        fields,
        tables,
        status == null || !status.isValueNode() || status.isNull() ? null : status.asText(),
        warnings);
  }

  private static boolean allObjects(JsonNode array) {
    for (JsonNode n : array) {
      if (!n.isObject()) {
        return false;
      }
    }
    return true;
  }

  private static void flatten(String prefix, JsonNode node, List<List<String>> rows) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = prefix + e.getKey();
      if (e.getValue().isObject()) {
        flatten(key + ".", e.getValue(), rows);
      } else {
        rows.add(java.util.Arrays.asList(key, scalar(e.getValue())));
      }
    }
  }

  /** A scalar as text; numbers as {@link Html#number}; arrays and objects as compact JSON. */
  private static String scalar(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isNumber()) {
      return v.isIntegralNumber() ? v.asText() : Html.number(v.doubleValue());
    }
    if (v.isArray() && !allObjects(v)) {
      List<String> parts = new ArrayList<>();
      v.forEach(x -> parts.add(x.isValueNode() ? x.asText() : x.toString()));
      return String.join(", ", parts);
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }
}
