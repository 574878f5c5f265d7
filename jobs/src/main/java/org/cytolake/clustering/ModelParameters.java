package org.cytolake.clustering;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A fit's parameters in their two shapes: the JSON object of {@code cluster_model.params} (numbers and arrays as
 * JSON values) and the text map a {@link ClusterModel.Provenance} keeps (name → value text, JSON text for
 * everything but strings). {@link #json} reads the text map back into the object, so that the rows of a stored
 * model's {@code cluster_model} read as those its fit wrote.
 */
public final class ModelParameters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelParameters() {}

  /** The parameters as a model keeps them: name → text (a string as is, anything else as its JSON text). */
  public static SortedMap<String, String> text(ObjectNode params) {
    SortedMap<String, String> out = new TreeMap<>();
    params
        .fields()
        .forEachRemaining(
            e ->
                out.put(
                    e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
    return out;
  }

  /**
   * The parameters of {@code cluster_model.params}: every value that is JSON text of a number, boolean, array or
   * object as that JSON value, anything else as a string; then {@code model_version}.
   */
  public static ObjectNode json(Map<String, String> parameters, int modelVersion) {
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    for (var e : parameters.entrySet()) {
      JsonNode v;
      try {
        v = JSON.readTree(e.getValue());
      } catch (IOException notJson) {
        v = null;
      }
      if (v == null || v.isMissingNode() || v.isTextual()) {
        params.put(e.getKey(), e.getValue());
      } else {
        params.set(e.getKey(), v);
      }
    }
    params.put("model_version", modelVersion);
    return params;
  }
}
