package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.cytolake.som.Metaclustering;
import org.cytolake.som.PhenotypeRules;
import org.cytolake.som.SomModel;
import org.cytolake.som.SomParams;
import org.cytolake.som.SomTrainer;
import org.cytolake.tables.TableSchema;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClusterModel} and {@link ClusterModelFormat} without Spark, on a SOM trained here on three samples of
 * seeded Gaussian blobs: mapping the training events gives exactly the nodes the trainer's assignment gives, the
 * training samples fit and a shifted sample is flagged with the metaclusters that took its shifted events, and both
 * stored forms round-trip to an equal model.
 */
class ClusterModelTest {
  static final int DIMS = 3;
  static final List<String> COLUMNS = List.of("cd3", "cd19", "cd56");

  /** Blob centres, one per row. */
  static final double[][] CENTRES = {{0, 0, 0}, {6, 0, 0}, {0, 6, 0}, {0, 0, 6}};

  static SomModel som;
  static Metaclustering.Result meta;
  static Map<String, double[]> training = new LinkedHashMap<>();
  static ClusterModel model;

  @BeforeAll
  static void train() {
    for (int s = 0; s < 3; s++) {
      training.put("S" + s, blobs(600, new Random(11 + s), 0));
    }
    SomParams params = SomParams.defaults().withGrid(4, 4).withRlen(5).withSeed(3);
    som = SomTrainer.fit(params, DIMS, List.copyOf(training.values()));
    meta = Metaclustering.defaults().withK(4).withSeed(1).fit(som);
    model =
        ClusterModel.of(
            provenance(1),
            COLUMNS,
            som.codes(),
            meta.nodeToMetacluster(),
            List.of("T", "B", "NK", "unlabeled"),
            training);
  }

  static ClusterModel.Provenance provenance(int version) {
    TreeMap<String, String> p =
        new TreeMap<>(Map.of("xdim", "4", "ydim", "4", "rlen", "5", "metaclusters", "4"));
    return new ClusterModel.Provenance(
        version, "P3", "flowsom", p, 3, ClusterModel.fingerprint(p), "run-1");
  }

  /** {@code n} events around the centres in turn (SD 0.7), the first coordinate shifted by {@code shift}. */
  static double[] blobs(int n, Random r, double shift) {
    double[] v = new double[n * DIMS];
    for (int e = 0; e < n; e++) {
      double[] c = CENTRES[e % CENTRES.length];
      for (int d = 0; d < DIMS; d++) {
        v[e * DIMS + d] = c[d] + 0.7 * r.nextGaussian() + (d == 0 ? shift : 0);
      }
    }
    return v;
  }

  @Test
  void mappingTheTrainingEventsGivesTheTrainingNodes() {
    int[] map = meta.nodeToMetacluster();
    training.forEach(
        (id, events) -> {
          int n = events.length / DIMS;
          ClusterModel.Mapping m = model.map(events, n);
          int[] nodes = som.map(events, n);
          assertArrayEquals(nodes, m.nodes(), id);
          for (int e = 0; e < n; e++) {
            assertEquals(som.bmu(events, e * DIMS), m.nodes()[e], id + " event " + e);
            assertEquals(map[nodes[e]], m.metaclusters()[e], id + " event " + e);
            double[] code = som.code(nodes[e]);
            double s = 0;
            for (int d = 0; d < DIMS; d++) {
              s += (events[e * DIMS + d] - code[d]) * (events[e * DIMS + d] - code[d]);
            }
            assertEquals(Math.sqrt(s), m.distances()[e], 1e-12, id + " event " + e);
          }
        });
    assertEquals(0.0, model.distance(som.code(5)));
  }

  @Test
  void trainingSamplesHoldTheirEventsAndDistances() {
    assertEquals(List.of("S0", "S1", "S2"), model.trainingSampleIds());
    for (ClusterModel.TrainingSample t : model.training()) {
      assertEquals(600, t.events());
      assertTrue(t.medianDistance() > 0 && t.medianDistance() < 2, t.toString());
      assertEquals(4, t.metaclusterMedianDistance().size());
    }
  }

  @Test
  void trainingSamplesFitAndAShiftedSampleIsFlaggedWithTheMetaclustersThatAbsorbedIt() {
    for (Map.Entry<String, double[]> e : training.entrySet()) {
      ClusterModel.Misfit m = model.misfit(e.getKey(), e.getValue(), 600, 0.0);
      assertFalse(m.flagged(), m.toString());
      assertTrue(
          m.medianDistance() >= m.trainingMin() && m.medianDistance() <= m.trainingMax(),
          m.toString());
    }
    ClusterModel.Misfit fresh =
        model.misfit("new", blobs(600, new Random(99), 0), 600, ClusterModel.MISFIT_MARGIN_DEFAULT);
    assertFalse(fresh.flagged(), fresh.toString());
    assertEquals(List.of(), fresh.absorbedBy());

    ClusterModel.Misfit shifted =
        model.misfit(
            "shifted", blobs(600, new Random(99), 3), 600, ClusterModel.MISFIT_MARGIN_DEFAULT);
    assertTrue(shifted.flagged(), shifted.toString());
    assertEquals(
        (1 + ClusterModel.MISFIT_MARGIN_DEFAULT) * shifted.trainingMax(), shifted.limit(), 1e-15);
    assertFalse(shifted.absorbedBy().isEmpty(), shifted.toString());
    long absorbed = 0;
    for (ClusterModel.Absorption a : shifted.absorbedBy()) {
      assertTrue(a.medianDistance() > a.limit(), a.toString());
      assertEquals(model.labels().get(a.metacluster()), a.label());
      absorbed += a.events();
    }
    assertTrue(
        absorbed > 300, "most of the shifted events are in absorbing metaclusters: " + shifted);
    IllegalArgumentException bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.misfit("x", blobs(10, new Random(1), 0), 10, -0.1));
    assertEquals(
        "Cannot test sample 'x' for misfit: margin must be a number >= 0 but is -0.1",
        bad.getMessage());
  }

  @Test
  void mappingRejectsNonFiniteValuesAndShortArrays() {
    double[] events = blobs(3, new Random(1), 0);
    events[4] = Double.NaN;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> model.map(events, 3));
    assertEquals(
        "Cannot map event 1 onto cluster model of panel P3: column 'cd19' is NaN", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> model.map(events, 4));
  }

  @Test
  void constructorReportsEveryProblemAtOnce() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new ClusterModel(
                    provenance(1),
                    List.of("a", "b"),
                    new double[][] {{0, 1}, {Double.NaN, 2}, {1}},
                    new int[] {0, 2},
                    List.of("x", "y"),
                    List.of()));
    assertEquals(
        "Cannot create cluster model of panel P3 (flowsom, version 1): 2 node metaclusters for 3 nodes;"
            + " node 1, column 'a' is NaN; node 2 has 1 values for 2 columns; node 1 is in metacluster 2 but there are"
            + " 2 labels; no training samples",
        e.getMessage());
  }

  @Test
  void rowRoundTripsAndMatchesTheContract() {
    Map<String, Object> row = ClusterModelFormat.toRow(model);
    TableSchema contract =
        TableSchema.load(SharedData.projectDir().resolve("schemas"), "cluster_models");
    assertEquals(contract.columnNames(), new ArrayList<>(row.keySet()));
    assertEquals(ClusterModelFormat.COLUMNS, contract.columnNames());
    contract
        .columns()
        .forEach(
            c ->
                assertEquals(
                    switch (c.type()) {
                      case "int" -> Integer.class;
                      case "long" -> Long.class;
                      default -> String.class;
                    },
                    row.get(c.name()).getClass(),
                    c.name()));
    assertEquals(model, ClusterModelFormat.fromRow(row, "test row"));
    Map<String, Object> broken = new LinkedHashMap<>(row);
    broken.put("codebook", "[[1,2");
    broken.remove("labels");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClusterModelFormat.fromRow(broken, "cluster_models P3 flowsom v1"));
    assertEquals(
        "Cannot read cluster model 'cluster_models P3 flowsom v1': columns [labels] are missing or null",
        e.getMessage());
  }

  @Test
  void directoryRoundTripsAndNamesTheFileOnBadInput(@TempDir Path dir) throws Exception {
    Path file = ClusterModelFormat.write(model, dir.resolve("model"));
    ClusterModel back = ClusterModelFormat.read(dir.resolve("model"));
    assertEquals(model, back);
    assertArrayEquals(
        model.map(training.get("S1"), 600).distances(),
        back.map(training.get("S1"), 600).distances());

    ObjectNode json = ClusterModelFormat.toJson(model);
    json.put("format_version", 2);
    Files.writeString(file, json.toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ClusterModelFormat.read(dir.resolve("model")));
    assertEquals(
        "Cannot read cluster model '" + file + "': format_version is 2 but this cytolake reads 1",
        e.getMessage());

    json = ClusterModelFormat.toJson(model);
    json.remove("seed");
    json.put("version", "one");
    ((com.fasterxml.jackson.databind.node.ArrayNode) json.get("codebook").get(0))
        .set(1, json.textNode("x"));
    Files.writeString(file, json.toString());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ClusterModelFormat.read(dir.resolve("model")));
    assertEquals(
        "Cannot read cluster model '"
            + file
            + "': version is not an integer: \"one\"; seed is missing;"
            + " codebook[0][1] is not a number: \"x\"",
        e.getMessage());

    Files.writeString(file, "{\"format\": ");
    e =
        assertThrows(
            IllegalArgumentException.class, () -> ClusterModelFormat.read(dir.resolve("model")));
    assertTrue(
        e.getMessage().startsWith("Cannot read cluster model '" + file + "': not JSON"),
        e.getMessage());
    assertThrows(
        java.nio.file.NoSuchFileException.class,
        () -> ClusterModelFormat.read(dir.resolve("none")));
  }

  @Test
  void fingerprintDependsOnContentNotOrder() {
    Map<String, String> a = new LinkedHashMap<>();
    a.put("xdim", "10");
    a.put("columns", "cd3,cd19");
    Map<String, String> b = new LinkedHashMap<>();
    b.put("columns", "cd3,cd19");
    b.put("xdim", "10");
    assertEquals(ClusterModel.fingerprint(a), ClusterModel.fingerprint(b));
    assertEquals(64, ClusterModel.fingerprint(a).length());
    b.put("xdim", "12");
    assertNotEquals(ClusterModel.fingerprint(a), ClusterModel.fingerprint(b));
  }

  @Test
  void aDistributedSummaryHoldsNaNForMetaclustersWithoutEvents() {
    ClusterModel.TrainingSample s =
        ClusterModel.TrainingSample.of("s1", 12, 0.7, Map.of(2, 0.9, 0, 0.3), 4);
    assertEquals(
        new ClusterModel.TrainingSample("s1", 12, 0.7, List.of(0.3, Double.NaN, 0.9, Double.NaN)),
        s);
  }

  @Test
  void anUnsummarisedModelMapsAsTheModelAndHasNoLabelsYet() {
    ClusterModel u =
        ClusterModel.unsummarised(
            model.provenance(), COLUMNS, model.codebook(), model.nodeToMetacluster(), 4);
    assertEquals(Collections.nCopies(4, PhenotypeRules.UNLABELED), u.labels());
    assertEquals(List.of("-"), u.trainingSampleIds());
    assertEquals(0, u.trainingEvents());
    double[] event = training.values().iterator().next();
    assertArrayEquals(model.map(event, 3).nodes(), u.map(event, 3).nodes());
    assertEquals(
        training.values().stream().mapToLong(e -> e.length / DIMS).sum(), model.trainingEvents());
  }
}
