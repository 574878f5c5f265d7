package org.cytolake.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cytolake.cytometry.transform.Identity;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.gating.Dimension;
import org.cytolake.gating.Gate;
import org.cytolake.gating.GatingMlException;
import org.cytolake.gating.GatingMlReader;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.InputChannel;
import org.cytolake.gating.SpectrumMatrix;
import org.cytolake.gating.StrategyDimensions;
import org.cytolake.gating.Transformation;
import org.cytolake.workspace.DisplayScale;
import org.cytolake.workspace.Workspace;
import org.cytolake.workspace.WorkspaceException;
import org.cytolake.workspace.WorkspaceReader;
import org.cytolake.workspace.WorkspaceSample;

/**
 * A lab's gating as a panel's strategy: a sample of a FlowJo or FACSDiva workspace ({@code
 * conf/gating/<panel>.wsp} or {@code .xml}), or a Gating-ML 2.0 document on the FCS detectors
 * ({@code .xml}, told apart by its root element), moved onto the panel's events columns so that
 * {@code gate}, {@code evaluate} and {@code nightly} apply it to the lake.
 *
 * <p>The lake's columns hold compensated, transformed values (each file's own spillover, then the
 * panel's transform). Every channel the gates name becomes an {@link InputChannel} computed from
 * its panel column by the inverse of the column's transform (compensated values on the data scale)
 * and, for a FlowJo 9 sample, FlowJo's display axis ({@link DisplayScale}); every dimension is
 * made {@code uncompensated}, its own transformation (FlowJo biex, logicle, ...) kept. A workspace
 * with its own matrix is thus applied with the files' matrices (a warning says so).
 *
 * <p>Which channel is which detector: the optional sidecar {@code conf/gating/<panel>.workspace.yaml}
 * ({@value #SAMPLE}: the workspace sample whose gates serve, by name or id, default the first with
 * gates; {@value #CHANNELS}: workspace channel → panel detector or column), else the channel itself,
 * a matrix's compensated channel ({@code Comp-FITC-A}, FlowJo 9's {@code <FITC-A>}) being its
 * detector, FlowJo's {@code _} standing for a {@code /} of the detector.
 *
 * <p>A Spark task cannot be handed a {@link GatingStrategy}; it gets {@link #envelope} text, a JSON
 * object holding the document, the sidecar's choices and the panel's channels, which {@link #parse}
 * turns back into the same strategy.
 */
public final class WorkspaceStrategy {
  private WorkspaceStrategy() {}

  /** The sidecar of {@code <panel>.wsp}: {@code <panel>}{@value}. */
  public static final String SIDECAR_SUFFIX = ".workspace.yaml";

  /** Sidecar key: the workspace sample whose gates serve the panel (name or id). */
  public static final String SAMPLE = "sample";

  /** Sidecar key: workspace channel → panel detector ({@code $PnN}) or events column. */
  public static final String CHANNELS = "channels";

  /** The first key of an envelope, whose value is the envelope's version. */
  static final String ENVELOPE = "cytolake-workspace-strategy";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ROOT = Pattern.compile("<(?![?!])([A-Za-z_][\\w.:-]*)");

  /**
   * A strategy on a panel's columns and what its reading found worth saying.
   *
   * @param strategy the gates on the panel's columns (through {@link GatingStrategy#inputs})
   * @param text the envelope a task parses back
   * @param warnings each naming panel and document, e.g. a workspace matrix not applied
   */
  public record Loaded(GatingStrategy strategy, String text, List<String> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** Whether a strategy text is an {@link #envelope} rather than the compact form. */
  public static boolean isEnvelope(String text) {
    return text.startsWith("{\"" + ENVELOPE + "\"");
  }

  /**
   * Reads a workspace or Gating-ML document with its sidecar and maps it onto {@code panel}.
   *
   * @param sidecar {@code <panel>.workspace.yaml}; absent is fine
   * @param problems where every problem goes, each naming the document (and sample, gate, channel)
   * @return null when there were problems
   * @throws IOException when a file cannot be read
   */
  public static Loaded load(Path document, Path sidecar, PanelConfig panel, List<String> problems)
      throws IOException {
    int before = problems.size();
    Sidecar side = sidecar(sidecar, panel.code(), problems);
    if (problems.size() > before) {
      return null;
    }
    String text =
        envelope(
            panel, document.toString(), side.sample(), side.channels(), Files.readString(document));
    List<String> warnings = new ArrayList<>();
    GatingStrategy s = map(text, problems, warnings);
    return s == null ? null : new Loaded(s, text, warnings);
  }

  /** What a sidecar says: the sample (null: the first with gates) and the channel map. */
  private record Sidecar(String sample, Map<String, String> channels) {}

  private static Sidecar sidecar(Path sidecar, String panel, List<String> problems) {
    String sample = null;
    Map<String, String> channels = new LinkedHashMap<>();
    if (Files.exists(sidecar)) {
      JsonNode n = CytolakeConfig.readMapping(sidecar, problems);
      if (n != null) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (!key.equals(SAMPLE) && !key.equals(CHANNELS)) {
            problems.add(
                sidecar + ": unknown key '" + key + "' (keys: " + SAMPLE + ", " + CHANNELS + ")");
          }
        }
        JsonNode s = n.path(SAMPLE);
        if (!s.isMissingNode() && !s.isNull()) {
          if (s.isValueNode() && !s.asText().isBlank()) {
            sample = s.asText();
          } else {
            problems.add(sidecar + ": " + SAMPLE + ": must be a sample name or id, not " + s);
          }
        }
        JsonNode c = n.path(CHANNELS);
        if (!c.isMissingNode() && !c.isNull()) {
          if (!c.isObject()) {
            problems.add(
                sidecar
                    + ": "
                    + CHANNELS
                    + ": must map workspace channels to panel detectors, not "
                    + c);
          } else {
            c.fields()
                .forEachRemaining(
                    e -> {
                      if (e.getValue().isValueNode() && !e.getValue().asText().isBlank()) {
                        channels.put(e.getKey(), e.getValue().asText());
                      } else {
                        problems.add(
                            sidecar
                                + ": "
                                + CHANNELS
                                + "."
                                + e.getKey()
                                + ": must be a detector or column of panel "
                                + panel
                                + ", not "
                                + e.getValue());
                      }
                    });
          }
        }
      }
    }
    return new Sidecar(sample, channels);
  }

  /**
   * The gates of a workspace or Gating-ML document as they are, on the workspace's channels (the
   * sample the sidecar names, else the first with gates): for a reader that wants the populations
   * only (the report).
   *
   * @throws GatingMlException naming the document and every problem
   */
  public static GatingStrategy unmapped(Path document, Path sidecar)
      throws GatingMlException, IOException {
    List<String> problems = new ArrayList<>();
    Sidecar side = sidecar(sidecar, "", problems);
    Read r =
        problems.isEmpty()
            ? read(Files.readString(document), document.toString(), side.sample(), problems)
            : null;
    if (r == null) {
      throw new GatingMlException("workspace", document.toString(), problems);
    }
    return r.strategy();
  }

  /**
   * The text a task parses back with {@link #parse}: a JSON object holding the panel's channels,
   * the sidecar's choices and the document itself.
   *
   * @param sample the sample named by the sidecar, or null for the first with gates
   */
  static String envelope(
      PanelConfig panel,
      String source,
      String sample,
      Map<String, String> channels,
      String document) {
    ObjectNode o = JSON.createObjectNode();
    o.put(ENVELOPE, 1);
    o.put("panel", panel.code());
    o.put("source", source);
    o.put(SAMPLE, sample);
    ObjectNode c = o.putObject(CHANNELS);
    channels.forEach(c::put);
    var columns = o.putArray("columns");
    for (ChannelConfig ch : panel.channels()) {
      columns
          .addObject()
          .put("detector", ch.detector())
          .put("column", ch.column())
          .put("transform", ch.transform().spec());
    }
    o.put("document", document);
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write workspace strategy envelope: " + e, e);
    }
  }

  /**
   * The strategy of an {@link #envelope}, as {@link #load} made it.
   *
   * @throws IllegalArgumentException listing every problem
   */
  public static GatingStrategy parse(String text) {
    List<String> problems = new ArrayList<>();
    GatingStrategy s = map(text, problems, new ArrayList<>());
    if (s == null) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return s;
  }

  /** A panel channel as the envelope holds it. */
  private record Column(String detector, String column, Transform transform) {}

  private static GatingStrategy map(String text, List<String> problems, List<String> warnings) {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      problems.add("Cannot read workspace strategy envelope: " + e.getOriginalMessage());
      return null;
    }
    String panel = o.path("panel").asText();
    String source = o.path("source").asText();
    String wanted = o.path(SAMPLE).isTextual() ? o.path(SAMPLE).asText() : null;
    Map<String, String> channels = new LinkedHashMap<>();
    o.path(CHANNELS)
        .fields()
        .forEachRemaining(e -> channels.put(e.getKey(), e.getValue().asText()));
    List<Column> columns = new ArrayList<>();
    for (JsonNode c : o.path("columns")) {
      columns.add(
          new Column(
              c.path("detector").asText(),
              c.path("column").asText(),
              TransformSpec.parse(c.path("transform").asText())));
    }
    String document = o.path("document").asText();
    Read r = read(document, source, wanted, problems);
    if (r == null) {
      return null;
    }
    return onColumns(
        r.strategy(),
        r.sampleMatrix(),
        r.scales(),
        panel,
        columns,
        channels,
        r.where(),
        problems,
        warnings);
  }

  /**
   * A document's gates as read.
   *
   * @param sampleMatrix a FlowJo 9 sample's matrix (its compensated channels), or null
   * @param scales a FlowJo 9 sample's display axes
   * @param where document and sample, for messages
   */
  private record Read(
      GatingStrategy strategy,
      SpectrumMatrix sampleMatrix,
      Map<String, DisplayScale> scales,
      String where) {}

  /** Reads a workspace's sample (or a Gating-ML document), or adds a problem and returns null. */
  private static Read read(String document, String source, String wanted, List<String> problems) {
    String name = Path.of(source).getFileName().toString();
    Matcher root = ROOT.matcher(document);
    boolean gatingMl = root.find() && localName(root.group(1)).equals("Gating-ML");
    try (InputStream in = new ByteArrayInputStream(document.getBytes(StandardCharsets.UTF_8))) {
      if (gatingMl) {
        if (wanted != null) {
          problems.add(
              source
                  + ": "
                  + SAMPLE
                  + " '"
                  + wanted
                  + "' is for a workspace, and this is a Gating-ML document");
          return null;
        }
        return new Read(GatingMlReader.read(in, source), null, Map.of(), source);
      }
      Workspace ws = WorkspaceReader.read(in, name);
      WorkspaceSample sample = sample(ws, wanted, source, problems);
      if (sample == null) {
        return null;
      }
      return new Read(
          sample.strategy(),
          sample.compensation(),
          sample.displayScales(),
          source + ": sample '" + sample.name() + "'");
    } catch (GatingMlException | WorkspaceException e) {
      problems.add(source + ": " + e.getMessage());
      return null;
    } catch (IOException e) {
      problems.add(source + ": " + e.getMessage());
      return null;
    }
  }

  private static String localName(String qualified) {
    int colon = qualified.indexOf(':');
    return colon < 0 ? qualified : qualified.substring(colon + 1);
  }

  private static WorkspaceSample sample(
      Workspace ws, String wanted, String source, List<String> problems) {
    if (wanted != null) {
      var s = ws.sample(wanted);
      if (s.isEmpty()) {
        problems.add(
            source
                + ": sample '"
                + wanted
                + "' (the sidecar's "
                + SAMPLE
                + ") is not in the workspace (samples: "
                + String.join(
                    ", ",
                    ws.samples().stream()
                        .map(x -> "'" + x.name() + "' (id " + x.id() + ")")
                        .toList())
                + ")");
        return null;
      }
      return s.get();
    }
    for (WorkspaceSample s : ws.samples()) {
      if (!s.strategy().gates().isEmpty()) {
        return s;
      }
    }
    problems.add(source + ": the workspace has no sample with gates");
    return null;
  }

  /** The strategy moved onto the panel's columns through input channels. */
  private static GatingStrategy onColumns(
      GatingStrategy s,
      SpectrumMatrix sampleMatrix,
      Map<String, DisplayScale> scales,
      String panel,
      List<Column> columns,
      Map<String, String> overrides,
      String where,
      List<String> problems,
      List<String> warnings) {
    List<SpectrumMatrix> matrices = new ArrayList<>(s.spectrumMatrices().values());
    if (sampleMatrix != null) {
      matrices.add(sampleMatrix);
    }
    Map<String, String> usedBy = new LinkedHashMap<>();
    List<String> ownMatrices = new ArrayList<>();
    if (sampleMatrix != null) {
      ownMatrices.add(sampleMatrix.id());
    }
    for (Gate g : s.gates().values()) {
      for (Dimension d : g.dimensions()) {
        if (d.isDerived()) {
          Transformation rt = s.transformations().get(d.ratioRef());
          usedBy.putIfAbsent(rt.ratio().numerator(), g.id());
          usedBy.putIfAbsent(rt.ratio().denominator(), g.id());
        } else {
          usedBy.putIfAbsent(d.name(), g.id());
        }
        String ref = d.compensationRef();
        if (!ref.equals(Dimension.UNCOMPENSATED)
            && !ref.equals(Dimension.FCS)
            && !ownMatrices.contains(ref)) {
          ownMatrices.add(ref);
        }
      }
    }
    List<String> detectors = columns.stream().map(Column::detector).toList();
    Map<String, InputChannel> inputs = new LinkedHashMap<>();
    int before = problems.size();
    for (Map.Entry<String, String> e : usedBy.entrySet()) {
      String channel = e.getKey();
      Column c = column(channel, overrides, matrices, columns);
      if (c == null) {
        String override = overrides.get(channel);
        problems.add(
            where
                + ", gate '"
                + e.getValue()
                + "': channel '"
                + channel
                + "' "
                + (override != null
                    ? "is mapped to '" + override + "', which is neither a detector nor a column"
                    : "is not a detector")
                + " of panel "
                + panel
                + " (detectors: "
                + String.join(", ", detectors)
                + "); map it under "
                + CHANNELS
                + ": in "
                + panel
                + SIDECAR_SUFFIX);
        continue;
      }
      inputs.put(channel, input(channel, c, scales.get(channel)));
    }
    for (String key : overrides.keySet()) {
      if (!usedBy.containsKey(key)) {
        warnings.add(
            where
                + ": "
                + panel
                + SIDECAR_SUFFIX
                + " maps channel '"
                + key
                + "', which no gate uses (channels used: "
                + String.join(", ", usedBy.keySet())
                + ")");
      }
    }
    if (problems.size() > before) {
      return null;
    }
    if (!ownMatrices.isEmpty()) {
      warnings.add(
          "panel "
              + panel
              + ": "
              + where
              + " carries its own compensation ("
              + String.join(", ", ownMatrices)
              + "); the lake's values are compensated at ingest as panels.yaml says (each file's"
              + " own spillover by default), and the gates are applied to those");
    }
    GatingStrategy onColumns =
        StrategyDimensions.remap(
            s,
            d ->
                new Dimension(
                    d.name(), d.ratioRef(), d.transformationRef(), Dimension.UNCOMPENSATED),
            List.of(),
            List.of());
    return onColumns.withInputs(inputs);
  }

  /** The panel channel a workspace channel reads, or null. */
  private static Column column(
      String channel,
      Map<String, String> overrides,
      List<SpectrumMatrix> matrices,
      List<Column> columns) {
    String override = overrides.get(channel);
    if (override != null) {
      for (Column c : columns) {
        if (c.detector().equals(override) || c.column().equals(override)) {
          return c;
        }
      }
      return null;
    }
    List<String> names = new ArrayList<>();
    names.add(channel);
    for (SpectrumMatrix m : matrices) {
      int i = m.fluorochromes().indexOf(channel);
      if (i >= 0 && m.fluorochromes().size() == m.detectors().size()) {
        names.add(m.detectors().get(i));
      }
    }
    if (channel.startsWith("Comp-")) {
      names.add(channel.substring("Comp-".length()));
    }
    if (channel.startsWith("<") && channel.endsWith(">") && channel.length() > 2) {
      names.add(channel.substring(1, channel.length() - 1));
    }
    for (String n : names) {
      for (Column c : columns) {
        if (c.detector().equals(n)) {
          return c;
        }
      }
    }
    for (String n : names) {
      for (Column c : columns) {
        if (c.detector().replace('/', '_').equals(n)) {
          return c;
        }
      }
    }
    return null;
  }

  private static InputChannel input(String channel, Column c, DisplayScale scale) {
    Transform t = c.transform();
    DoubleUnaryOperator data = t instanceof Identity ? x -> x : t::inverse;
    String how = t instanceof Identity ? "as it is" : "inverse of " + t.spec();
    String axis = null;
    if (scale != null) {
      DoubleUnaryOperator d = data;
      data = x -> scale.apply(d.applyAsDouble(x));
      axis = "FlowJo 9's display axis (the workspace's calibration table)";
      how += ", then FlowJo's display axis";
    }
    return new InputChannel(channel, c.column(), c.column() + " " + how, data, axis);
  }
}
