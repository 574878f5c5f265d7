package org.cytolake.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link ModelParameters}: a fit's parameters as text and back as cluster_model's JSON, without Spark. */
class ModelParametersTest {
  static ObjectNode fitParams() {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("algorithm", "flowsom");
    p.put("metaclusters", 15);
    p.put("seed", 1L);
    p.putPOJO("columns", List.of("cd3", "cd19"));
    p.put("alpha_start", 0.05);
    p.put("model_version", 2);
    return p;
  }

  @Test
  void stringsStayTextAndEverythingElseIsItsJson() {
    assertEquals(
        new TreeMap<>(
            Map.of(
                "algorithm", "flowsom",
                "metaclusters", "15",
                "seed", "1",
                "columns", "[\"cd3\",\"cd19\"]",
                "alpha_start", "0.05",
                "model_version", "2")),
        ModelParameters.text(fitParams()));
  }

  @Test
  void theTextReadsBackAsTheFitsJson() {
    ObjectNode back = ModelParameters.json(ModelParameters.text(fitParams()), 2);
    assertEquals(
        "{\"algorithm\":\"flowsom\",\"alpha_start\":0.05,\"columns\":[\"cd3\",\"cd19\"],"
            + "\"metaclusters\":15,\"model_version\":2,\"seed\":1}",
        back.toString());
  }

  @Test
  void textThatIsNotJsonStaysAStringAndTheVersionIsTheModels() {
    ObjectNode p = ModelParameters.json(Map.of("init_mode", "k-means||", "quoted", "\"x\""), 4);
    assertEquals("k-means||", p.get("init_mode").asText());
    assertEquals("\"x\"", p.get("quoted").asText(), "a JSON string keeps its quotes as text");
    assertEquals(4, p.get("model_version").asInt());
  }
}
