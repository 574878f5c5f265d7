package org.cytolake.jobs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.ingest.IngestPlan;
import org.cytolake.ingest.InputFile;
import org.cytolake.ingest.Manifest;
import org.cytolake.ingest.ManifestRow;
import org.cytolake.ingest.PreviousIngest;
import org.cytolake.lake.FileWalk;
import org.cytolake.lake.Fingerprints;
import org.cytolake.lake.Lake;
import org.cytolake.lake.LakeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one ingest-fcs run reads before it inspects a file (its step 1): the FCS files under the
 * input (any Hadoop file system), the manifest and the full path of the file each row names, the
 * patients the lake holds, and, for an incremental run, what the lake held before. A change of
 * the manifest or of the configuration since the last incremental run makes the run a full one
 * (links or values of unchanged files may change): the previous state is then empty.
 *
 * @param root the input root, qualified
 * @param files the FCS files under it ({@link InputFile#isFcs}), by path
 * @param relative file path → path relative to the root
 * @param manifest the manifest (without rows when files are linked without one)
 * @param resolved manifest line → full path of the file it names
 * @param knownPatients pseudonymous ids of the lake's patients, or null when it has none
 * @param fingerprint the manifest and configuration this run depends on
 * @param previous the lake's previous state ({@link PreviousIngest#EMPTY} for a full run)
 */
record IngestFcsInputs(
    String root,
    SortedMap<String, InputFile> files,
    Map<String, String> relative,
    Manifest manifest,
    Map<Integer, String> resolved,
    Set<String> knownPatients,
    String fingerprint,
    PreviousIngest previous) {
  private static final Logger LOG = LoggerFactory.getLogger(IngestFcsJob.class);

  /**
   * Reads the inputs of a run.
   *
   * @param linkedWithoutManifest files may be linked by file name or keywords, so the manifest
   *     may be absent
   */
  static IngestFcsInputs read(
      RunContext ctx,
      String input,
      String manifestFile,
      boolean incremental,
      boolean linkedWithoutManifest,
      LakeState state)
      throws IOException {
    SparkSession spark = ctx.spark();
    Lake lake = ctx.lake();
    String runId = ctx.runId();
    Configuration conf = ctx.hadoopConf();
    Path root = qualify(new Path(input), conf);
    SortedMap<String, InputFile> files = list(root, conf);
    Map<String, String> relative = new LinkedHashMap<>();
    files.keySet().forEach(f -> relative.put(f, InputFile.relative(root.toString(), f)));
    Path manifestPath = qualify(new Path(manifestFile), conf);
    Manifest manifest;
    String manifestSha = "none";
    if (linkedWithoutManifest && !manifestPath.getFileSystem(conf).exists(manifestPath)) {
      LOG.info(
          "ingest-fcs: no manifest at {}: files are linked by ingest.filename-pattern or "
              + "ingest.keyword-link only",
          manifestPath);
      manifest = new Manifest(manifestPath.getName(), List.of(), List.of());
    } else {
      byte[] bytes;
      try (InputStream in = manifestPath.getFileSystem(conf).open(manifestPath)) {
        bytes = in.readAllBytes();
      }
      manifestSha = Fingerprints.sha256(bytes);
      manifest =
          Manifest.parse(manifestPath.getName(), new ByteArrayInputStream(bytes), IngestPlan.JOB);
    }
    Map<Integer, String> resolved = new LinkedHashMap<>();
    for (ManifestRow r : manifest.rows()) {
      Path p = new Path(r.file());
      resolved.put(
          r.line(),
          qualify(p.isAbsolute() ? p : new Path(manifestPath.getParent(), r.file()), conf)
              .toString());
    }
    LOG.info(
        "ingest-fcs {}: {} FCS file(s) under {}, {} manifest row(s) ({} rejected)",
        runId,
        files.size(),
        root,
        manifest.rows().size() + manifest.rejected().size(),
        manifest.rejected().size());
    Set<String> knownPatients = null;
    if (lake.exists(spark, "patients")) {
      knownPatients =
          new HashSet<>(
              lake.read(spark, "patients")
                  .select("patient_id")
                  .as(Encoders.STRING())
                  .collectAsList());
    } else {
      LOG.warn(
          "ingest-fcs: no patients table in {}: manifest patients are not checked "
              + "(run ingest-clinical first)",
          lake.root());
    }
    String fingerprint =
        "manifest="
            + manifestSha
            + ";conf="
            + Fingerprints.files(
                ctx.conf(), List.of("panels.yaml", "visits.yaml", "cytolake.yaml"));
    PreviousIngest previous =
        incremental ? previous(spark, lake, state, fingerprint, runId) : PreviousIngest.EMPTY;
    return new IngestFcsInputs(
        root.toString(), files, relative, manifest, resolved, knownPatients, fingerprint, previous);
  }

  /** Every FCS file under {@code root}, recursively, by path. */
  private static SortedMap<String, InputFile> list(Path root, Configuration conf)
      throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    if (!fs.exists(root)) {
      throw new IOException("Cannot ingest: input '" + root + "' does not exist");
    }
    SortedMap<String, InputFile> out = new TreeMap<>();
    for (FileStatus s : FileWalk.files(fs, root)) {
      if (InputFile.isFcs(s.getPath().getName())) {
        out.put(
            s.getPath().toString(),
            new InputFile(s.getPath().toString(), s.getLen(), s.getModificationTime()));
      }
    }
    return out;
  }

  /** The lake's state as the last incremental run with the same fingerprint left it. */
  private static PreviousIngest previous(
      SparkSession spark, Lake lake, LakeState state, String fingerprint, String runId)
      throws IOException {
    Map<String, Object> last = state.read(IngestFcsJob.STATE);
    if (!fingerprint.equals(last.get("fingerprint"))) {
      LOG.info(
          "ingest-fcs {}: {}: every file is read",
          runId,
          last.isEmpty()
              ? "first incremental run on this lake"
              : "manifest or configuration changed");
      return PreviousIngest.EMPTY;
    }
    if (!lake.exists(spark, "ingest_ledger") || !lake.exists(spark, "samples")) {
      return PreviousIngest.EMPTY;
    }
    List<Map<String, Object>> quarantine = List.of();
    if (lake.exists(spark, Lake.QUARANTINE)) {
      quarantine =
          columns(
              lake.read(spark, lake.schema(Lake.QUARANTINE))
                  .where(functions.col("job").equalTo(IngestPlan.JOB)));
    }
    return PreviousIngest.of(
        columns(lake.read(spark, "ingest_ledger")),
        columns(lake.read(spark, "samples")),
        quarantine);
  }

  /** The rows of a (small) table, each as column → value. */
  private static List<Map<String, Object>> columns(Dataset<Row> table) {
    String[] names = table.columns();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : table.collectAsList()) {
      Map<String, Object> m = new HashMap<>();
      for (int i = 0; i < names.length; i++) {
        m.put(names[i], r.get(i));
      }
      out.add(m);
    }
    return out;
  }

  private static Path qualify(Path p, Configuration conf) {
    try {
      return p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
