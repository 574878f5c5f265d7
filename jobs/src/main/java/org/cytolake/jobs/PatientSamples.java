package org.cytolake.jobs;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.cytolake.lake.Lake;

/**
 * The {@code samples} of trial patients: what every analyst table (immunophenotype, differential,
 * cohort tables, the report's per-visit figures) is built from. Control aliquots ({@code samples.control},
 * the donor run in every batch for normalisation) are left out; a {@code samples} table written
 * before that column existed holds patient samples only and is read whole.
 */
final class PatientSamples {
  /** The column of {@code samples} that marks a control aliquot. */
  static final String CONTROL = "control";

  private PatientSamples() {}

  static Dataset<Row> read(SparkSession spark, Lake lake) {
    Dataset<Row> samples = lake.read(spark, "samples");
    return Arrays.asList(samples.columns()).contains(CONTROL)
        ? samples.where(functions.col(CONTROL).isNull())
        : samples;
  }
}
