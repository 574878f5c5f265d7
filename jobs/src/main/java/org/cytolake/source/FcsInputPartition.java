package org.cytolake.source;

import org.apache.spark.sql.connector.read.InputPartition;

/** Events {@code [first, first + count)} of one data set of one FCS file: one task's work. */
record FcsInputPartition(String path, int dataset, long first, long count)
    implements InputPartition {}
