package org.cytolake.tables;

/**
 * One declared column of a table contract.
 *
 * @param name column name
 * @param type one of {@link TableSchema#TYPES}
 * @param nullable whether nulls are allowed
 * @param description one line of meaning, for the data dictionary
 */
public record ColumnSpec(String name, String type, boolean nullable, String description) {}
