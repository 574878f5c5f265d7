package org.cytolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;
import org.cytolake.config.Settings;
import org.cytolake.fcs.FcsFile;
import org.cytolake.fcs.FcsReader;
import org.cytolake.ingest.EventQc;
import org.cytolake.ingest.FileCheck;
import org.cytolake.ingest.InputFile;
import org.cytolake.ingest.PlannedSample;
import org.cytolake.qc.AcquisitionQc;
import org.cytolake.qc.FcsQcInput;
import org.cytolake.qc.QcParams;
import org.cytolake.source.FcsSourceOptions;
import org.cytolake.source.HadoopFcsInput;

/**
 * The reads of ingest-fcs that run one task per input file on the executors, each sending one
 * small record back to the driver: the inspection of every file ({@link FileCheck}: size,
 * SHA-256, HEADER and TEXT) and the acquisition QC of every new or changed file ({@link EventQc}).
 * The events themselves are read by the {@code fcs} data source ({@link FcsSourceOptions}).
 */
final class IngestFcsChecks {
  private IngestFcsChecks() {}

  /**
   * Inspects every file, {@link FileCheck#inspectTasks} tasks.
   *
   * @param knownSha256 path → the ledger's SHA-256 of a file whose size and modification time
   *     have not changed (its bytes are not hashed again)
   * @param keepKeywords FCS keywords a file may be linked by
   */
  static List<FileCheck> inspect(
      JavaSparkContext jsc,
      Broadcast<SerializableConfiguration> conf,
      Map<String, InputFile> files,
      Map<String, String> knownSha256,
      List<String> keepKeywords) {
    List<String> paths = new ArrayList<>(files.keySet());
    if (paths.isEmpty()) {
      return List.of();
    }
    Broadcast<HashMap<String, String>> known = jsc.broadcast(new HashMap<>(knownSha256));
    return jsc.parallelize(paths, FileCheck.inspectTasks(paths.size(), jsc.defaultParallelism()))
        .map(
            p -> {
              try (HadoopFcsInput in = HadoopFcsInput.open(p, conf.value().value())) {
                return FileCheck.inspect(in, keepKeywords, known.value().get(p));
              }
            })
        .collect();
  }

  /**
   * Runs acquisition QC on the first data set of each file, one task per file; a file whose events
   * cannot be read for QC is {@link EventQc#failed} (nothing flagged) and never stops the run.
   */
  static List<EventQc> acquisitionQc(
      JavaSparkContext jsc,
      Broadcast<SerializableConfiguration> conf,
      List<PlannedSample> samples,
      Settings settings) {
    if (samples.isEmpty()) {
      return List.of();
    }
    if (!settings.getBoolean(Settings.QC_ENABLED)) {
      return samples.stream().map(EventQc::disabled).toList();
    }
    QcParams params = settings.qcParams();
    return jsc.parallelize(samples, samples.size())
        .map(
            s -> {
              try (HadoopFcsInput in = HadoopFcsInput.open(s.check().path(), conf.value().value());
                  FcsFile file = FcsReader.open(in)) {
                return EventQc.of(
                    s, new AcquisitionQc(params).run(FcsQcInput.read(file, file.first())));
              } catch (IOException | RuntimeException e) {
                return EventQc.failed(s, e);
              }
            })
        .collect();
  }
}
