package org.cytolake.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;

/**
 * Everything in a {@code conf/} directory, validated at load: {@code panels.yaml} and
 * {@code visits.yaml} (both required) and {@code cytolake.yaml} (settings; optional: absent, every
 * key of {@link Settings} takes its default). Every problem of every file is reported at once,
 * each naming its file and key.
 */
public record CytolakeConfig(
    Path dir, Settings settings, Map<String, PanelConfig> panels, VisitSchedule visits) {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern COLUMN = Pattern.compile("[a-z][a-z0-9_]*");

  public CytolakeConfig {
    panels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(panels));
  }

  /** The panel with this code. */
  public PanelConfig panel(String code) {
    PanelConfig p = panels.get(code);
    if (p == null) {
      throw new IllegalArgumentException(
          "Unknown panel '"
              + code
              + "' (configured: "
              + panels.keySet()
              + " in "
              + dir.resolve("panels.yaml")
              + ")");
    }
    return p;
  }

  /** Loads and validates {@code dir}. */
  public static CytolakeConfig load(Path dir) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      throw new ConfigException(List.of(dir + ": not a directory"));
    }
    Settings settings = loadSettings(dir.resolve("cytolake.yaml"), problems);
    Map<String, PanelConfig> panels = loadPanels(dir.resolve("panels.yaml"), problems);
    VisitSchedule visits = loadVisits(dir.resolve("visits.yaml"), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new CytolakeConfig(dir, settings, panels, visits);
  }

  /**
   * Reads a YAML file that must hold a mapping; a missing file, bad YAML or another top level
   * adds a problem naming the file and returns null (loaders report every problem at once).
   */
  public static JsonNode readMapping(Path file, List<String> problems) {
    if (!Files.exists(file)) {
      problems.add(file + ": missing");
      return null;
    }
    try {
      JsonNode n = YAML.readTree(file.toFile());
      if (n == null || !n.isObject()) {
        problems.add(file + ": must hold a mapping at the top level");
        return null;
      }
      return n;
    } catch (IOException e) {
      problems.add(file + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
      return null;
    }
  }

  /** {@code cytolake.yaml} is optional: absent, every key takes its default. */
  private static Settings loadSettings(Path file, List<String> problems) {
    if (!Files.exists(file)) {
      return Settings.defaults();
    }
    JsonNode n = readMapping(file, problems);
    if (n == null) {
      return Settings.defaults();
    }
    Map<String, String> raw = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isValueNode()) {
        problems.add(file.getFileName() + ": " + e.getKey() + ": must be a single value");
        continue;
      }
      raw.put(e.getKey(), e.getValue().asText());
    }
    return Settings.of(file.toString(), raw, problems);
  }

  private static Map<String, PanelConfig> loadPanels(Path file, List<String> problems) {
    Map<String, PanelConfig> out = new LinkedHashMap<>();
    JsonNode n = readMapping(file, problems);
    if (n == null) {
      return out;
    }
    JsonNode panels = n.path("panels");
    if (!panels.isObject() || panels.isEmpty()) {
      problems.add(file + ": panels: must map panel codes to panels");
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = panels.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String code = e.getKey();
      String where = file + ": panels." + code;
      if (!code.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,31}")) {
        // The code names a table directory (events_<code>): nothing else may reach the path.
        problems.add(
            where
                + ": panel code '"
                + code
                + "' must be 1-32 letters, digits, '_' or "
                + "'-', starting with a letter or digit (it names the table events_<code>)");
        continue;
      }
      JsonNode p = e.getValue();
      JsonNode chs = p.path("channels");
      if (!chs.isArray() || chs.isEmpty()) {
        problems.add(where + ".channels: must be a non-empty list");
        continue;
      }
      List<ChannelConfig> channels = new ArrayList<>();
      Set<String> columns = new HashSet<>();
      Set<String> detectors = new HashSet<>();
      for (int i = 0; i < chs.size(); i++) {
        JsonNode c = chs.get(i);
        String cw = where + ".channels[" + i + "]";
        String detector = c.path("detector").asText("");
        String column = c.path("column").asText("");
        String marker = c.hasNonNull("marker") ? c.get("marker").asText() : null;
        String spec = c.path("transform").asText("none");
        if (detector.isBlank()) {
          problems.add(cw + ".detector: missing");
        } else if (!detectors.add(detector)) {
          problems.add(cw + ".detector: '" + detector + "' appears twice");
        }
        if (!COLUMN.matcher(column).matches()) {
          problems.add(
              cw
                  + ".column: '"
                  + column
                  + "' must be lower-case letters, digits and _,"
                  + " starting with a letter");
        } else if (!columns.add(column)) {
          problems.add(cw + ".column: '" + column + "' appears twice");
        }
        Transform t = null;
        try {
          t = TransformSpec.parse(spec);
        } catch (IllegalArgumentException x) {
          problems.add(cw + ".transform: " + x.getMessage());
        }
        channels.add(
            new ChannelConfig(detector, marker, column, t, c.path("lineage").asBoolean(false)));
      }
      SpilloverSource spill = spillover(where, p.path("spillover"), detectors, problems);
      out.put(
          code,
          new PanelConfig(
              code,
              p.path("name").asText(code),
              p.path("description").asText(""),
              channels,
              spill));
    }
    return out;
  }

  private static SpilloverSource spillover(
      String where, JsonNode n, Set<String> detectors, List<String> problems) {
    if (n.isMissingNode() || n.isNull()) {
      return SpilloverSource.FILE;
    }
    String kind = n.path("source").asText("file");
    switch (kind) {
      case "file":
        return SpilloverSource.FILE;
      case "none":
        return SpilloverSource.NONE;
      case "conf":
        break;
      default:
        problems.add(where + ".spillover.source: '" + kind + "' is not one of file, conf, none");
        return SpilloverSource.FILE;
    }
    List<String> chans = new ArrayList<>();
    n.path("channels").forEach(c -> chans.add(c.asText()));
    JsonNode m = n.path("matrix");
    int k = chans.size();
    if (k == 0 || !m.isArray() || m.size() != k) {
      problems.add(
          where
              + ".spillover: source conf needs 'channels' (k detectors) and a k×k "
              + "'matrix'; got "
              + k
              + " channels and "
              + m.size()
              + " rows");
      return SpilloverSource.FILE;
    }
    double[][] mat = new double[k][k];
    for (int i = 0; i < k; i++) {
      JsonNode row = m.get(i);
      if (!row.isArray() || row.size() != k) {
        problems.add(where + ".spillover.matrix[" + i + "]: needs " + k + " numbers");
        return SpilloverSource.FILE;
      }
      for (int j = 0; j < k; j++) {
        if (!row.get(j).isNumber()) {
          problems.add(
              where
                  + ".spillover.matrix["
                  + i
                  + "]["
                  + j
                  + "]: '"
                  + row.get(j).asText()
                  + "' is not a number");
          return SpilloverSource.FILE;
        }
        mat[i][j] = row.get(j).asDouble();
      }
    }
    for (String c : chans) {
      if (!detectors.contains(c)) {
        problems.add(where + ".spillover.channels: '" + c + "' is not a detector of the panel");
      }
    }
    return new SpilloverSource("conf", List.copyOf(chans), mat);
  }

  /** Keys of one entry of {@code visits.yaml} {@code visits}. */
  private static final List<String> VISIT_KEYS = List.of("code", "study-day");

  /** A visit code names partitions ({@code visit=<code>}) of the events tables. */
  private static final Pattern VISIT_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

  /**
   * {@code visits.yaml}: {@code baseline} (one of the visits) and {@code visits}, a list in the
   * order of the study (time points or conditions), each {@code {code: X, study-day: N}}, or
   * {@code {code: X}}, or just {@code X}. A study day is optional; when given it is a whole number
   * greater than every study day given before it in the list.
   */
  private static VisitSchedule loadVisits(Path file, List<String> problems) {
    JsonNode n = readMapping(file, problems);
    if (n == null) {
      return new VisitSchedule("D1", List.of());
    }
    List<VisitSchedule.Visit> visits = new ArrayList<>();
    JsonNode vs = n.path("visits");
    if (!vs.isArray() || vs.isEmpty()) {
      problems.add(file + ": visits: must be a non-empty list");
    } else {
      Set<String> seen = new HashSet<>();
      Integer lastDay = null;
      String lastDayVisit = null;
      for (int i = 0; i < vs.size(); i++) {
        JsonNode v = vs.get(i);
        String w = file + ": visits[" + i + "]";
        String code;
        JsonNode day = null;
        if (v.isTextual() || v.isNumber()) {
          code = v.asText();
        } else if (v.isObject()) {
          code = v.path("code").asText("");
          day = v.get("study-day");
          for (Iterator<String> k = v.fieldNames(); k.hasNext(); ) {
            String key = k.next();
            if (!VISIT_KEYS.contains(key)) {
              problems.add(w + "." + key + ": unknown key (known: " + VISIT_KEYS + ")");
            }
          }
        } else {
          problems.add(w + ": must be a visit code or {code: ..., study-day: ...}");
          continue;
        }
        if (code.isBlank()) {
          problems.add(w + ".code: missing");
          continue;
        }
        if (!VISIT_CODE.matcher(code).matches()) {
          problems.add(
              w
                  + ".code: '"
                  + code
                  + "' must be 1-32 letters, digits, '_', '-' or '.',"
                  + " starting with a letter or digit (it names the partitions visit=<code>)");
        }
        if (!seen.add(code)) {
          problems.add(w + ".code: '" + code + "' appears twice");
        }
        Integer studyDay = null;
        if (day != null && !day.isNull()) {
          if (!day.isIntegralNumber() || !day.canConvertToInt()) {
            problems.add(w + ".study-day: must be a whole number, not '" + day.asText() + "'");
          } else {
            studyDay = day.asInt();
            if (lastDay != null && studyDay <= lastDay) {
              problems.add(
                  w
                      + ".study-day: "
                      + studyDay
                      + " is not after study day "
                      + lastDay
                      + " of visit "
                      + lastDayVisit
                      + " listed before it (the list is in study"
                      + " order)");
            }
            lastDay = studyDay;
            lastDayVisit = code;
          }
        }
        visits.add(new VisitSchedule.Visit(code, studyDay));
      }
    }
    String baseline = n.path("baseline").asText("");
    if (baseline.isBlank()) {
      problems.add(
          file
              + ": baseline: missing (the visit that change from baseline refers to,"
              + " one of the visits)");
    } else if (visits.stream().noneMatch(v -> v.code().equals(baseline))) {
      problems.add(
          file
              + ": baseline: '"
              + baseline
              + "' is not one of the visits "
              + visits.stream().map(VisitSchedule.Visit::code).toList());
    }
    return new VisitSchedule(baseline, visits);
  }
}
