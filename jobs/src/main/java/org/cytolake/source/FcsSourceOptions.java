package org.cytolake.source;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.ingest.PlannedSample;

/**
 * Options of the {@code fcs} data source ({@code spark.read.format("fcs")}), validated all at once.
 *
 * <ul>
 *   <li>{@code path} / {@code paths}: FCS files (any Hadoop path); {@code paths} is
 *       comma-separated or a JSON array, as {@code DataFrameReader.load(String...)} passes it.
 *   <li>{@code channels}: {@code $PnN}s to read, comma-separated, in output order (default: every
 *       channel of the first file).
 *   <li>{@code names}: output column names for those channels (default: the channel names).
 *   <li>{@code transforms}: one transform spec per channel, {@code ;}-separated (e.g.
 *       {@code none;asinh:cofactor=150}); default {@code none} for all.
 *   <li>{@code linearize}: {@code true} to bring stored values to linear scale first, as
 *       flowCore's and the Gating-ML compliance suite's "linearize with $PnG scaling": a
 *       log-amplified parameter ($PnE f1,f2 with f1 &gt; 0) becomes 10^(f1 · v / $PnR) · f2, a
 *       linear one with a gain ($PnG ≠ 1) is divided by it.
 *   <li>{@code compensate}: {@code true} to apply each file's own spillover matrix first.
 *   <li>{@code split-bytes}: a file whose DATA is larger is read by several tasks, each a range of
 *       whole events of about this many bytes (default 134217728 = 128 MiB).
 *   <li>{@code spillover-channels} and {@code spillover-matrix}: with {@code compensate}, use this
 *       matrix (detectors comma-separated; matrix as a JSON array of rows) instead of each file's.
 *   <li>{@code file-tag-names} and {@code file-tags}: extra constant string columns per file:
 *       names comma-separated, values a JSON object from path to an array of strings (how ingest
 *       attaches sample id and visit without a join).
 * </ul>
 */
public record FcsSourceOptions(
    List<String> paths,
    List<String> channels,
    List<String> names,
    List<String> transforms,
    boolean compensate,
    long splitBytes,
    List<String> tagNames,
    Map<String, List<String>> tags,
    List<String> spilloverChannels,
    double[][] spilloverMatrix,
    boolean linearize)
    implements Serializable {

  public static final String PATHS = "paths";
  public static final String CHANNELS = "channels";
  public static final String NAMES = "names";
  public static final String TRANSFORMS = "transforms";
  public static final String COMPENSATE = "compensate";
  public static final String LINEARIZE = "linearize";
  public static final String SPLIT_BYTES = "split-bytes";

  /** The default of {@code split-bytes}: conf/cytolake.yaml's {@code ingest.split-bytes}. */
  public static final long SPLIT_BYTES_DEFAULT =
      Long.parseLong(Settings.INGEST_SPLIT_BYTES.defaultValue());

  public static final String TAG_NAMES = "file-tag-names";
  public static final String TAGS = "file-tags";
  public static final String SPILLOVER_CHANNELS = "spillover-channels";
  public static final String SPILLOVER_MATRIX = "spillover-matrix";

  public FcsSourceOptions {
    paths = List.copyOf(paths);
    channels = List.copyOf(channels);
    names = List.copyOf(names);
    transforms = List.copyOf(transforms);
    tagNames = List.copyOf(tagNames);
    tags = Map.copyOf(tags);
    spilloverChannels = List.copyOf(spilloverChannels);
  }

  /** Parses data source options; every problem is reported in one exception. */
  public static FcsSourceOptions parse(Map<String, String> options) {
    List<String> problems = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    String single = get(options, "path");
    if (single != null) {
      paths.add(single.trim());
    }
    String many = get(options, PATHS);
    if (many != null) {
      paths.addAll(many.trim().startsWith("[") ? jsonArray(many, problems) : split(many, ","));
    }
    if (paths.isEmpty()) {
      problems.add("no FCS files: set option 'path' or 'paths'");
    }
    List<String> channels = split(get(options, CHANNELS), ",");
    List<String> names = split(get(options, NAMES), ",");
    List<String> transforms = split(get(options, TRANSFORMS), ";");
    if (!names.isEmpty() && names.size() != channels.size()) {
      problems.add(
          "'names' has " + names.size() + " entries but 'channels' has " + channels.size());
    }
    if (!transforms.isEmpty() && transforms.size() != channels.size()) {
      problems.add(
          "'transforms' has "
              + transforms.size()
              + " entries but 'channels' has "
              + channels.size());
    }
    for (String t : transforms) {
      try {
        TransformSpec.parse(t);
      } catch (IllegalArgumentException e) {
        problems.add("'transforms' entry '" + t + "': " + e.getMessage());
      }
    }
    String comp = get(options, COMPENSATE);
    if (comp != null && !comp.equalsIgnoreCase("true") && !comp.equalsIgnoreCase("false")) {
      problems.add("'compensate' must be true or false, not '" + comp + "'");
    }
    long split = SPLIT_BYTES_DEFAULT;
    String sb = get(options, SPLIT_BYTES);
    if (sb != null) {
      try {
        split = Long.parseLong(sb.trim());
        if (split < 1) {
          problems.add("'split-bytes' must be positive, not " + split);
        }
      } catch (NumberFormatException e) {
        problems.add("'split-bytes' must be a number of bytes, not '" + sb + "'");
      }
    }
    List<String> tagNames = split(get(options, TAG_NAMES), ",");
    Map<String, List<String>> tags = Map.of();
    String tagJson = get(options, TAGS);
    if (tagJson != null) {
      try {
        Map<String, List<String>> t =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(
                    tagJson,
                    new com.fasterxml.jackson.core.type.TypeReference<
                        java.util.LinkedHashMap<String, List<String>>>() {});
        tags = t;
      } catch (java.io.IOException e) {
        problems.add("'file-tags' is not a JSON object of string arrays: " + e.getMessage());
      }
    }
    for (String p : paths) {
      if (!tagNames.isEmpty() && (!tags.containsKey(p) || tags.get(p).size() != tagNames.size())) {
        problems.add(
            "'file-tags' must give "
                + tagNames.size()
                + " value(s) "
                + tagNames
                + " for every path; '"
                + p
                + "' has "
                + tags.get(p));
      }
    }
    List<String> spillChannels = split(get(options, SPILLOVER_CHANNELS), ",");
    double[][] spill = null;
    String spillJson = get(options, SPILLOVER_MATRIX);
    if (spillJson != null) {
      try {
        spill =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readValue(spillJson, double[][].class);
      } catch (java.io.IOException e) {
        problems.add("'spillover-matrix' is not a JSON array of number arrays: " + e.getMessage());
      }
    }
    if ((spill == null) != spillChannels.isEmpty()
        || (spill != null && spill.length != spillChannels.size())) {
      problems.add("'spillover-channels' and 'spillover-matrix' go together, one row per channel");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          "Cannot read FCS data source: " + String.join("; ", problems));
    }
    return new FcsSourceOptions(
        paths,
        channels,
        names,
        transforms,
        "true".equalsIgnoreCase(comp),
        split,
        tagNames,
        tags,
        spillChannels,
        spill,
        "true".equalsIgnoreCase(get(options, LINEARIZE)));
  }

  /**
   * The options with which ingest reads the accepted files of a panel: in visit, then sample id
   * order, the panel's detectors named by its columns and transformed as it says, brought to
   * linear scale, compensated unless the panel has no spillover (with the panel's own matrix when
   * it gives one), each file tagged with its {@code sample_id} and {@code visit}.
   */
  public static Map<String, String> forIngest(
      PanelConfig panel, List<PlannedSample> samples, long splitBytes) {
    List<PlannedSample> ordered =
        samples.stream()
            .sorted(
                Comparator.comparing(PlannedSample::visit).thenComparing(PlannedSample::sampleId))
            .toList();
    Map<String, List<String>> tags = new LinkedHashMap<>();
    ordered.forEach(s -> tags.put(s.check().path(), List.of(s.sampleId(), s.visit())));
    Map<String, String> o = new LinkedHashMap<>();
    o.put(PATHS, json(ordered.stream().map(s -> s.check().path()).toList()));
    o.put(CHANNELS, String.join(",", panel.detectors()));
    o.put(NAMES, String.join(",", panel.columns()));
    o.put(
        TRANSFORMS,
        panel.channels().stream().map(c -> c.transform().spec()).collect(Collectors.joining(";")));
    o.put(LINEARIZE, "true");
    o.put(COMPENSATE, Boolean.toString(!panel.spillover().kind().equals("none")));
    o.put(SPLIT_BYTES, Long.toString(splitBytes));
    o.put(TAG_NAMES, "sample_id,visit");
    o.put(TAGS, json(tags));
    if (panel.spillover().fromConf()) {
      o.put(SPILLOVER_CHANNELS, String.join(",", panel.spillover().channels()));
      o.put(SPILLOVER_MATRIX, json(panel.spillover().matrix()));
    }
    return o;
  }

  private static String json(Object value) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The transforms, one per channel ({@code none} where unspecified). */
  public List<Transform> parsedTransforms(int channelCount) {
    List<Transform> out = new ArrayList<>();
    for (int i = 0; i < channelCount; i++) {
      out.add(TransformSpec.parse(transforms.isEmpty() ? "none" : transforms.get(i)));
    }
    return out;
  }

  /** {@code DataFrameReader.load(String...)} passes several paths as a JSON array. */
  private static List<String> jsonArray(String json, List<String> problems) {
    try {
      String[] a =
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String[].class);
      return Arrays.asList(a);
    } catch (java.io.IOException e) {
      problems.add("'paths' is not a JSON array of strings: " + e.getMessage());
      return List.of();
    }
  }

  private static String get(Map<String, String> options, String key) {
    for (Map.Entry<String, String> e : options.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static List<String> split(String v, String sep) {
    if (v == null || v.isBlank()) {
      return List.of();
    }
    return Arrays.stream(v.split(java.util.regex.Pattern.quote(sep)))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
