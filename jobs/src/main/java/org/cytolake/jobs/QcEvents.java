package org.cytolake.jobs;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.Settings;
import org.cytolake.lake.Lake;

/**
 * The events downstream jobs (gate, cluster, evaluate, plot; aggregate through them) read: only
 * those acquisition QC left clean ({@code qc_flag = 0}) unless {@code qc.use-flagged-events} is
 * true, and of a panel normalised between batches the normalised values ({@code
 * events_norm_<panel>}, which the normalise job keeps for exactly the panels {@code
 * conf/normalisation.yaml} names). An events table written before the column existed is read whole.
 */
final class QcEvents {
  /** The events column of acquisition QC ({@code schemas/events.schema.json}). */
  static final String QC_FLAG = "qc_flag";

  private QcEvents() {}

  /** Whether downstream jobs read only clean events under {@code settings}. */
  static boolean cleanOnly(Settings settings) {
    return !settings.getBoolean(Settings.QC_USE_FLAGGED_EVENTS);
  }

  /**
   * The panel's events for analysis, only the clean ones when {@code cleanOnly}: the normalised
   * table when the lake has one for the panel, else the ingested values.
   */
  static Dataset<Row> read(SparkSession spark, Lake lake, PanelConfig panel, boolean cleanOnly) {
    return lake.exists(spark, panel.normalisedEventsTable())
        ? clean(
            lake.read(
                spark, org.cytolake.tables.TableSchema.normalisedEvents(lake.schemasDir(), panel)),
            cleanOnly)
        : readRaw(spark, lake, panel, cleanOnly);
  }

  /**
   * Fails, saying what to run, when {@code conf/normalisation.yaml} names the panel but the lake
   * has no normalised events for it yet: analysing raw values would silently mix batches.
   */
  static void requireNormalised(RunContext ctx, PanelConfig panel) {
    if (ctx.steps().normalisation().panel(panel.code()) != null
        && !ctx.lake().exists(ctx.spark(), panel.normalisedEventsTable())) {
      throw new IllegalStateException(
          "Cannot analyse panel "
              + panel.code()
              + ": "
              + ctx.conf().resolve(org.cytolake.config.NormalisationConfig.FILE)
              + " normalises it, but lake '"
              + ctx.lake().root()
              + "' has no "
              + panel.normalisedEventsTable()
              + " yet: run 'cytolake normalise' first (the nightly run does)");
    }
  }

  /** The panel's events as ingested ({@code events_<panel>}), the clean ones when asked. */
  static Dataset<Row> readRaw(SparkSession spark, Lake lake, PanelConfig panel, boolean cleanOnly) {
    return clean(lake.read(spark, panel.eventsTable()), cleanOnly);
  }

  private static Dataset<Row> clean(Dataset<Row> events, boolean cleanOnly) {
    return cleanOnly && Arrays.asList(events.columns()).contains(QC_FLAG)
        ? events.where(functions.col(QC_FLAG).equalTo(0))
        : events;
  }
}
