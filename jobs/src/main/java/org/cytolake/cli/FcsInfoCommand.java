package org.cytolake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cytolake.fcs.DataType;
import org.cytolake.fcs.EventReader;
import org.cytolake.fcs.FcsDataset;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsFormatException;
import org.cytolake.fcs.FcsParameter;
import org.cytolake.fcs.FcsReader;
import org.cytolake.fcs.FcsWarning;
import org.cytolake.fcs.Spillover;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cytolake fcs-info}: the metadata and first events of an FCS file. */
@Command(
    name = "fcs-info",
    mixinStandardHelpOptions = true,
    description = {
      "Print the metadata and first events of an FCS file (2.0, 3.0, 3.1, 3.2).",
      "Events are raw stored values: integers masked to the bits $PnR needs, no $PnE/$PnG "
          + "scaling, no compensation. Counts, channels and events describe the first data set.",
      "Exit status: 0 read; 3 malformed file (one line on stderr naming file, segment, byte "
          + "offset and reason); 1 other failure (e.g. file not found)."
    })
public final class FcsInfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The FCS file.")
  Path file;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "How many first events to print (default: ${DEFAULT-VALUE}); 0 reads the "
              + "metadata only and never touches the DATA segment.")
  int events;

  @Option(names = "--keywords", description = "Also print every TEXT keyword.")
  boolean keywords;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (events < 0) {
      err.println("Cannot run fcs-info: --events must be >= 0, not " + events);
      return 2;
    }
    if (!Files.isRegularFile(file)) {
      err.println("Cannot read FCS file '" + file + "': no such file");
      return 1;
    }
    try (FcsFile fcs = FcsReader.open(file)) {
      ObjectNode node = describe(fcs, events, keywords);
      if (json) {
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
      } else {
        printText(out, node);
      }
      out.flush();
      return 0;
    } catch (FcsFormatException e) {
      err.println(e.getMessage());
      return CytolakeCli.EXIT_BAD_INPUT;
    } catch (IOException e) {
      err.println("Cannot read FCS file '" + file + "': " + e.getMessage());
      return 1;
    }
  }

  /** The JSON description of a file (first data set), with up to {@code n} first events. */
  public static ObjectNode describe(FcsFile fcs, int n, boolean withKeywords) throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    FcsDataset ds = fcs.first();
    ObjectNode o = f.objectNode();
    o.put("file", fcs.name());
    o.put("version", ds.version());
    o.put("datatype", ds.dataType().name());
    o.put(
        "byteorder",
        ds.byteOrderKeyword() == null
            ? null
            : ds.byteOrder() == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian");
    o.put("byteord_keyword", ds.byteOrderKeyword());
    o.put("events", ds.eventCount());
    o.put("parameters", ds.parameters().size());
    ArrayNode ch = o.putArray("channels");
    for (FcsParameter p : ds.parameters()) {
      ObjectNode c = ch.addObject();
      c.put("index", p.index());
      c.put("name", p.name());
      c.put("label", p.label());
      c.put("bits", p.bits());
      putNumber(c, "range", p.range());
      c.put("type", p.type().name());
      c.put("decades", p.decades());
      c.put("log_offset", p.logOffset());
      c.put("gain", p.gain());
    }
    Spillover s = ds.spillover().orElse(null);
    if (s == null) {
      o.putNull("spillover");
    } else {
      ObjectNode so = o.putObject("spillover");
      so.put("keyword", s.keyword());
      ArrayNode names = so.putArray("channels");
      s.channels().forEach(names::add);
      ArrayNode m = so.putArray("matrix");
      for (int i = 0; i < s.channels().size(); i++) {
        ArrayNode row = m.addArray();
        for (int j = 0; j < s.channels().size(); j++) {
          row.add(s.value(i, j));
        }
      }
    }
    o.put("datasets", fcs.datasets().size());
    ArrayNode fe = o.putArray("first_events");
    if (n > 0) {
      int par = ds.parameters().size();
      long take = Math.min(n, ds.data().events());
      if (take > 0 && par > 0) {
        double[] buf = new double[(int) take * par];
        EventReader r = fcs.events(ds, 0, take, (int) Math.min(1 << 20, buf.length * 8L));
        int got = 0;
        while (got < take) {
          double[] chunk = new double[(int) (take - got) * par];
          int k = r.read(chunk);
          if (k == 0) {
            break;
          }
          System.arraycopy(chunk, 0, buf, got * par, k * par);
          got += k;
        }
        for (int e = 0; e < got; e++) {
          ArrayNode row = fe.addArray();
          for (int p = 0; p < par; p++) {
            double v = buf[e * par + p];
            if (ds.parameters().get(p).type() == DataType.I) {
              row.add((long) v);
            } else {
              row.add(v);
            }
          }
        }
      }
    }
    ArrayNode w = o.putArray("warnings");
    for (FcsDataset d : fcs.datasets()) {
      for (FcsWarning x : d.warnings()) {
        w.add((fcs.datasets().size() > 1 ? "data set " + (d.index() + 1) + ": " : "") + x);
      }
    }
    if (withKeywords) {
      ObjectNode k = o.putObject("keywords");
      ds.keywords().asMap().forEach(k::put);
    }
    return o;
  }

  private static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) {
      o.putNull(key);
    } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      o.put(key, (long) v);
    } else {
      o.put(key, v);
    }
  }

  private static void printText(PrintWriter out, ObjectNode o) {
    out.printf(
        "%s  %s, $DATATYPE %s, %s, %d events x %d parameters, %d data set(s)%n",
        o.get("file").asText(),
        o.get("version").asText(),
        o.get("datatype").asText(),
        o.get("byteorder").asText(),
        o.get("events").asLong(),
        o.get("parameters").asInt(),
        o.get("datasets").asInt());
    out.printf(
        "%5s  %-24s %-24s %5s %12s%n", "index", "name ($PnN)", "label ($PnS)", "bits", "range");
    for (var c : o.get("channels")) {
      out.printf(
          "%5d  %-24s %-24s %5d %12s%n",
          c.get("index").asInt(),
          c.get("name").isNull() ? "-" : c.get("name").asText(),
          c.get("label").isNull() ? "-" : c.get("label").asText(),
          c.get("bits").asInt(),
          c.get("range").isNull() ? "-" : c.get("range").asText());
    }
    var s = o.get("spillover");
    out.println(
        "spillover: "
            + (s.isNull() ? "none" : s.get("keyword").asText() + " over " + s.get("channels")));
    out.println("first events:");
    for (var row : o.get("first_events")) {
      out.println("  " + row);
    }
    for (var w : o.get("warnings")) {
      out.println("warning: " + w.asText());
    }
  }
}
