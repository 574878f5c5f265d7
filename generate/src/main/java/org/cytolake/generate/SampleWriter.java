package org.cytolake.generate;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.cytolake.fcs.DataType;
import org.cytolake.fcs.FcsWriter;
import org.cytolake.fcs.Spillover;
import org.cytolake.generate.BadInput.Reason;
import org.cytolake.generate.EventSimulator.FloatList;
import org.cytolake.generate.EventSimulator.Tracked;
import org.cytolake.generate.PanelModel.Panel;
import org.cytolake.generate.TrialPlan.Encoding;
import org.cytolake.generate.TrialPlan.Sample;

/**
 * Writes one FCS file of the plan, streaming: events are drawn and written in blocks, and each
 * event's label goes to a gzip member of its own (concatenated in file order later). Then applies
 * the file's deliberate fault, if any.
 */
final class SampleWriter {
  private SampleWriter() {}

  /**
   * Deflate level of the label rows: 1 compresses ~3× faster than the default 6 for ~25% more
   * bytes (labels are the costliest output: ~85 bytes of text per event).
   */
  static final int LABEL_COMPRESSION = java.util.zip.Deflater.BEST_SPEED;

  /** Events drawn and written per block. */
  static final int BLOCK_EVENTS = 4096;

  static final String INSTITUTION = "Biotherapy lab, Hopital Pitie-Salpetriere (synthetic)";
  private static final DateTimeFormatter FCS_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ROOT);
  private static final DateTimeFormatter FCS_TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);

  /**
   * What one file turned out to be.
   *
   * @param labelCounts events per label index of the panel's tree
   * @param medians one per {@link EventSimulator#trackedFor} statistic
   * @param detail the fault's description, completed with what was written
   * @param labels the gzip member holding this file's label rows
   * @param anomalies the gzip member holding this file's anomalous events (realistic model), or
   *     null
   * @param anomaly the file's injected anomaly ({@link Anomaly#none()} when it has none)
   * @param tally the events of each anomaly kind (realistic model), or null
   */
  record Outcome(
      Sample sample,
      long events,
      long[] labelCounts,
      double[] medians,
      String detail,
      Path labels,
      Path anomalies,
      Anomaly anomaly,
      Anomaly.Tally tally) {}

  /**
   * The events of a file, drawn in memory (for tests; files of any size use {@link #write}).
   *
   * @param anomalies each event's {@link Anomaly.Kind#code} (all none in the separable model)
   */
  record Drawn(float[] values, int[] labels, byte[] anomalies) {}

  static Outcome write(
      Path outDir,
      Path labelDir,
      Sample s,
      Biology.SampleState state,
      Instrument instrument,
      long seed)
      throws IOException {
    Path file = outDir.resolve(s.file());
    Files.createDirectories(file.getParent());
    SplittableRandom rng = Seeds.random(seed, "events", s.stream());
    double rate = rng.nextDouble(1_500, 6_000);
    List<Tracked> tracked = EventSimulator.trackedFor(s.panel());
    Anomaly anomaly = anomaly(s, instrument, seed);
    EventSource sim = simulator(s, state, instrument, seed, rate, anomaly, tracked, rng);
    List<FloatList> values = new ArrayList<>();
    for (int i = 0; i < tracked.size(); i++) {
      values.add(new FloatList());
    }
    PanelModel.PanelTree tree = PanelModel.treeOf(s.panel());
    long[] counts = new long[tree.labels().size()];
    byte[] prefix = (s.file() + ",").getBytes(StandardCharsets.US_ASCII);
    byte[][] suffix = new byte[tree.labels().size()][];
    for (int l = 0; l < suffix.length; l++) {
      suffix[l] = ("," + tree.labels().get(l) + "\n").getBytes(StandardCharsets.US_ASCII);
    }
    Path labelFile = labelDir.resolve(String.format(Locale.ROOT, "%08d.gz", s.seq()));
    boolean realistic = instrument.realistic();
    Path anomalyFile =
        realistic
            ? labelDir.resolve(String.format(Locale.ROOT, "%08d.anomalies.gz", s.seq()))
            : null;
    Anomaly.Tally tally = realistic ? new Anomaly.Tally() : null;
    FcsWriter.Spec spec = spec(s, instrument, rate, seed);
    int n = s.events();
    float[] block = new float[BLOCK_EVENTS * PanelModel.CHANNELS];
    int[] labels = new int[BLOCK_EVENTS];
    byte[] kinds = new byte[BLOCK_EVENTS];
    try (FcsWriter.Output out = FcsWriter.open(file, spec, n);
        LabelWriter lw = new LabelWriter(labelFile, prefix, suffix);
        LabelWriter aw = realistic ? new LabelWriter(anomalyFile, prefix, KIND_SUFFIX) : null) {
      for (int done = 0; done < n; ) {
        int k = Math.min(BLOCK_EVENTS, n - done);
        sim.next(k, block, labels, kinds, values);
        finish(s, realistic, block, kinds, k);
        out.write(block, k);
        for (int e = 0; e < k; e++) {
          counts[labels[e]]++;
          lw.row(done + e, labels[e]);
        }
        if (realistic) {
          for (int e = 0; e < k; e++) {
            if (kinds[e] != 0) {
              aw.row(done + e, kinds[e]);
              tally.add(kinds[e], done + e, block[(e + 1) * PanelModel.CHANNELS - 1]);
            }
          }
        }
        done += k;
      }
    }
    double[] medians = new double[tracked.size()];
    for (int i = 0; i < medians.length; i++) {
      medians[i] = values.get(i).median();
    }
    String detail = applyFault(file, s);
    return new Outcome(s, n, counts, medians, detail, labelFile, anomalyFile, anomaly, tally);
  }

  /** Draws a file's events (as written, after any int16 conversion) in memory. */
  static Drawn draw(Sample s, Biology.SampleState state, Instrument instrument, long seed) {
    SplittableRandom rng = Seeds.random(seed, "events", s.stream());
    double rate = rng.nextDouble(1_500, 6_000);
    EventSource sim =
        simulator(s, state, instrument, seed, rate, anomaly(s, instrument, seed), List.of(), rng);
    float[] all = new float[s.events() * PanelModel.CHANNELS];
    int[] labels = new int[s.events()];
    byte[] anomalies = new byte[s.events()];
    float[] block = new float[BLOCK_EVENTS * PanelModel.CHANNELS];
    int[] lb = new int[BLOCK_EVENTS];
    byte[] kinds = new byte[BLOCK_EVENTS];
    for (int done = 0; done < s.events(); ) {
      int k = Math.min(BLOCK_EVENTS, s.events() - done);
      sim.next(k, block, lb, kinds, List.of());
      finish(s, instrument.realistic(), block, kinds, k);
      System.arraycopy(block, 0, all, done * PanelModel.CHANNELS, k * PanelModel.CHANNELS);
      System.arraycopy(lb, 0, labels, done, k);
      System.arraycopy(kinds, 0, anomalies, done, k);
      done += k;
    }
    return new Drawn(all, labels, anomalies);
  }

  /** Anomaly rows' suffixes by {@link Anomaly.Kind#code}. */
  private static final byte[][] KIND_SUFFIX = kindSuffixes();

  private static byte[][] kindSuffixes() {
    Anomaly.Kind[] kinds = Anomaly.Kind.values();
    byte[][] out = new byte[kinds.length][];
    for (Anomaly.Kind k : kinds) {
      out[k.code()] = ("," + k.label + "\n").getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }

  /** The file's injected anomaly (none in the separable model). */
  static Anomaly anomaly(Sample s, Instrument instrument, long seed) {
    return instrument.realistic()
        ? Anomaly.plan(s.anomaly(), s.events(), seed, s.stream())
        : Anomaly.none();
  }

  private static EventSource simulator(
      Sample s,
      Biology.SampleState state,
      Instrument instrument,
      long seed,
      double rate,
      Anomaly anomaly,
      List<Tracked> tracked,
      SplittableRandom rng) {
    if (!instrument.realistic()) {
      return new EventSimulator(s.panel(), state, instrument.gains(s.date()), rate, tracked, rng);
    }
    return new RealisticSimulator(
        s.panel(),
        state,
        instrument.gains(s.date()),
        rate,
        anomaly,
        tracked,
        rng,
        Seeds.random(seed, "anomaly-events", s.stream()));
  }

  /** The int16 conversion where the file needs it; then (realistic model) the margin events. */
  private static void finish(Sample s, boolean realistic, float[] block, byte[] kinds, int k) {
    boolean int16 = s.encoding() == Encoding.FCS20_I16_BE;
    if (int16) {
      toInt16(block, k);
    }
    if (realistic) {
      Anomaly.markMargins(block, k, kinds, int16 ? INT16_MAX : PanelModel.MAX_VALUE);
    }
  }

  /** The largest value an int16 file stores. */
  static final float INT16_MAX = 65_535f;

  /** Scales to the 16-bit range: value × 0.25 (Time unscaled), rounded, clamped to 0..65535. */
  private static void toInt16(float[] block, int events) {
    int w = PanelModel.CHANNELS;
    for (int e = 0; e < events; e++) {
      for (int c = 0; c < w; c++) {
        double v = block[e * w + c];
        if (c < w - 1) {
          v *= TrialPlan.INT16_SCALE;
        }
        block[e * w + c] = (float) Math.round(Math.max(0, Math.min(65_535, v)));
      }
    }
  }

  static FcsWriter.Spec spec(Sample s, Instrument instrument, double rate, long seed) {
    Panel panel = s.panel();
    boolean int16 = s.encoding() == Encoding.FCS20_I16_BE;
    long range = int16 ? 65_536 : PanelModel.RANGE;
    List<String> detectors = new ArrayList<>(PanelModel.DETECTORS);
    if (s.fault() == Reason.RENAMED_CHANNEL) {
      int d = (int) s.faultValue();
      String name = detectors.get(d);
      detectors.set(d, name.substring(0, name.length() - 2));
    }
    List<FcsWriter.Channel> channels = new ArrayList<>();
    for (String sc : PanelModel.SCATTER) {
      channels.add(FcsWriter.channel(sc, null, range));
    }
    for (int i = 0; i < detectors.size(); i++) {
      channels.add(FcsWriter.channel(detectors.get(i), panel.markers().get(i), range));
    }
    channels.add(FcsWriter.channel(PanelModel.TIME, null, range));

    Map<String, String> kw = new LinkedHashMap<>();
    LocalTime start = s.acquired();
    double seconds = s.events() / rate;
    if (instrument.realistic()) {
      // the wobbling flow rate lengthens the mean gap between events by 1/√(1 − a²) ≤ 2%
      seconds = seconds * 1.03 + anomaly(s, instrument, seed).extraSeconds(rate);
    }
    LocalTime end = start.plusSeconds((long) Math.ceil(seconds) + 2);
    if (end.isBefore(start)) {
      end = LocalTime.of(23, 59, 59);
    }
    kw.put("$DATE", s.date().format(FCS_DATE).toUpperCase(Locale.ROOT));
    kw.put("$BTIM", start.format(FCS_TIME));
    kw.put("$ETIM", end.format(FCS_TIME));
    kw.put("$CYT", Instrument.CYTOMETER);
    kw.put("$CYTSN", Instrument.SERIAL);
    kw.put("$INST", INSTITUTION);
    kw.put("$OP", Names.operator(Seeds.random(seed, "operator", s.date().toString())));
    kw.put("$PROJ", TrialPlan.STUDY);
    TrialPlan.Patient p = s.patient();
    String fileName = s.file().substring(s.file().lastIndexOf('/') + 1);
    if (s.unlinked()) {
      kw.put("$SRC", fileName.substring(0, fileName.indexOf("_Tube")));
      kw.put("$FIL", fileName);
    } else if (s.control()) {
      kw.put("$SRC", ControlAliquot.DONOR_ID);
      kw.put(
          "$FIL",
          (ControlAliquot.DONOR_ID
                  + "_"
                  + ControlAliquot.VISIT
                  + "_"
                  + panel.name()
                  + (ControlAliquot.validation(s) ? "_" + ControlAliquot.VALIDATION : "")
                  + ".fcs")
              .replace(' ', '-'));
    } else {
      kw.put("$SRC", p.lastName().toUpperCase(Locale.ROOT) + " " + p.firstName());
      kw.put(
          "$FIL",
          (p.lastName().toUpperCase(Locale.ROOT)
                  + "_"
                  + p.firstName()
                  + "_"
                  + s.visit().name()
                  + "_"
                  + panel.name()
                  + ".fcs")
              .replace(' ', '-'));
    }
    kw.put("$TIMESTEP", "0.01");
    for (int i = 0; i < channels.size() - 1; i++) {
      kw.put("$P" + (i + 1) + "V", Integer.toString(instrument.voltage(i, s.date())));
    }
    if (!s.unlinked()) {
      kw.put("PATIENT_NAME", s.control() ? ControlAliquot.DONOR_ID : p.fullName());
    }
    kw.put("EXPERIMENT NAME", TrialPlan.STUDY + " " + s.date());
    kw.put("TUBE NAME", panel.id() + "_" + panel.name());
    kw.put("CYTOLAKE_BATCH", s.batch());
    if (int16) {
      kw.put(
          "CYTOLAKE_INT_SCALE",
          TrialPlan.INT16_SCALE
              + " (stored = round(clamp(value x "
              + TrialPlan.INT16_SCALE
              + ", 0, 65535)); Time unscaled)");
      // The standard way to say it: $PnG, the gain a reader divides linear values by.
      for (int i = 0; i < channels.size() - 1; i++) {
        kw.put("$P" + (i + 1) + "G", Double.toString(TrialPlan.INT16_SCALE));
      }
    }
    Spillover spill = s.fault() == Reason.NO_SPILLOVER ? null : Instrument.spillover(detectors);
    FcsWriter.Spec spec = FcsWriter.spec(channels).withKeywords(kw).withSpillover(spill);
    return switch (s.encoding()) {
      case FCS31_F32_LE -> spec;
      case FCS30_F32_BE -> spec.withVersion("FCS3.0").withOrder(ByteOrder.BIG_ENDIAN);
      case FCS20_I16_BE ->
          spec.withVersion("FCS2.0").withDataType(DataType.I, 16).withOrder(ByteOrder.BIG_ENDIAN);
    };
  }

  /** Breaks a written file as its fault says; returns the fault's full description. */
  private static String applyFault(Path file, Sample s) throws IOException {
    if (s.fault() == null) {
      return null;
    }
    switch (s.fault()) {
      case TOT_MISMATCH -> {
        String from = "/$TOT/" + s.events() + "/";
        String to = "/$TOT/" + (long) s.faultValue() + "/";
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
          long[] data = dataOffsets(raf);
          byte[] head = new byte[(int) data[0]];
          raf.readFully(head);
          int at = indexOf(head, from.getBytes(StandardCharsets.US_ASCII));
          if (at < 0 || from.length() != to.length()) {
            throw new IllegalStateException("Cannot falsify $TOT of " + file);
          }
          raf.seek(at);
          raf.write(to.getBytes(StandardCharsets.US_ASCII));
        }
        return s.faultDetail();
      }
      case TRUNCATED_DATA -> {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
          long[] data = dataOffsets(raf);
          long length = data[1] - data[0] + 1;
          long cut = data[0] + (long) Math.floor(s.faultValue() * length) + 3;
          cut = Math.min(cut, data[1]);
          raf.setLength(cut);
          int width = PanelModel.CHANNELS * (s.encoding() == Encoding.FCS20_I16_BE ? 2 : 4);
          return "file cut at byte "
              + cut
              + ", inside DATA (bytes "
              + data[0]
              + ".."
              + data[1]
              + "): "
              + (cut - data[0]) / width
              + " of "
              + s.events()
              + " events complete";
        }
      }
      default -> {
        return s.faultDetail();
      }
    }
  }

  /** DATA start and end: from the HEADER, or from $BEGINDATA/$ENDDATA for files over 100 MB. */
  private static long[] dataOffsets(RandomAccessFile raf) throws IOException {
    byte[] h = new byte[58];
    raf.seek(0);
    raf.readFully(h);
    String header = new String(h, StandardCharsets.US_ASCII);
    long start = Long.parseLong(header.substring(26, 34).trim());
    long end = Long.parseLong(header.substring(34, 42).trim());
    if (start == 0) {
      long textEnd = Long.parseLong(header.substring(18, 26).trim());
      byte[] text = new byte[(int) textEnd + 1];
      raf.seek(0);
      raf.readFully(text);
      String t = new String(text, StandardCharsets.US_ASCII);
      start = textValue(t, "$BEGINDATA");
      end = textValue(t, "$ENDDATA");
    }
    raf.seek(0);
    return new long[] {start, end};
  }

  private static long textValue(String text, String key) throws IOException {
    int at = text.indexOf("/" + key + "/");
    if (at < 0) {
      throw new IOException("Cannot break FCS file: no " + key + " in TEXT");
    }
    int from = at + key.length() + 2;
    return Long.parseLong(text.substring(from, text.indexOf('/', from)).trim());
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Writes {@code file,event_index,label} rows as one gzip member. */
  static final class LabelWriter implements AutoCloseable {
    private final OutputStream out;
    private final byte[] prefix;
    private final byte[][] suffix;
    private final byte[] buf = new byte[1 << 16];
    private final byte[] digits = new byte[20];
    private int pos;

    LabelWriter(Path file, byte[] prefix, byte[][] suffix) throws IOException {
      this.out =
          new GZIPOutputStream(
              new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16) {
            {
              def.setLevel(LABEL_COMPRESSION);
            }
          };
      this.prefix = prefix;
      this.suffix = suffix;
    }

    void row(long index, int label) throws IOException {
      byte[] s = suffix[label];
      if (pos + prefix.length + 20 + s.length > buf.length) {
        out.write(buf, 0, pos);
        pos = 0;
      }
      System.arraycopy(prefix, 0, buf, pos, prefix.length);
      pos += prefix.length;
      int d = 0;
      long v = index;
      do {
        digits[d++] = (byte) ('0' + v % 10);
        v /= 10;
      } while (v > 0);
      while (d > 0) {
        buf[pos++] = digits[--d];
      }
      System.arraycopy(s, 0, buf, pos, s.length);
      pos += s.length;
    }

    @Override
    public void close() throws IOException {
      out.write(buf, 0, pos);
      out.close();
    }
  }
}
