package org.cytolake.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

class DataDictionaryTest {
  @Test
  void committedDictionaryMatchesTheContracts() throws Exception {
    Path home = SharedData.projectDir();
    CytolakeConfig config = CytolakeConfig.load(home.resolve("conf"));
    String md =
        DataDictionary.render(home.resolve("schemas"), List.copyOf(config.panels().values()));
    assertTrue(md.contains("## events_p1") && md.contains("## samples"));
    assertEquals(
        md,
        Files.readString(home.resolve("schemas/DATA_DICTIONARY.md")),
        "schemas/DATA_DICTIONARY.md is stale: run bin/cytolake data-dictionary");
  }

  @Test
  void everyContractLoadsAndDescribesEveryColumn() throws Exception {
    Path schemas = SharedData.projectDir().resolve("schemas");
    try (var files = Files.list(schemas)) {
      for (Path p :
          files
              .filter(
                  f ->
                      f.toString().endsWith(".schema.json")
                          && !f.getFileName().toString().equals("events.schema.json"))
              .toList()) {
        String name = p.getFileName().toString().replace(".schema.json", "");
        TableSchema t = TableSchema.load(schemas, name);
        assertEquals(name, t.table());
        t.columns().forEach(c -> assertTrue(!c.description().isBlank(), name + "." + c.name()));
      }
    }
  }

  @Test
  void theWideContractExpandsItsFeatureColumns() {
    Path schemas = SharedData.projectDir().resolve("schemas");
    TableSchema placeholder = TableSchema.load(schemas, "immunophenotype_wide");
    assertTrue(placeholder.columnNames().contains(TableSchema.FEATURE_PLACEHOLDER));
    TableSchema wide =
        TableSchema.wide(
            schemas,
            "immunophenotype_wide",
            List.of("p1_treg_pct_of_parent", "p1_treg_median_cd25"));
    assertEquals(
        List.of(
            "patient_id",
            "cohort",
            "visit",
            "study_day",
            "p1_treg_pct_of_parent",
            "p1_treg_median_cd25",
            "aggregate_run_id"),
        wide.columnNames());
    assertEquals("double", wide.columns().get(4).type());
    assertTrue(wide.columns().get(4).nullable());
  }
}
