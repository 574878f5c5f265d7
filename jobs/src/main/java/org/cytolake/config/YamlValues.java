package org.cytolake.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Typed values of a conf file's mapping, read the one way every loader reads them: an absent or
 * null key is its default; a value of the wrong type adds a problem naming the file and key (the
 * loaders report every problem at once) and reads as the default.
 */
final class YamlValues {
  private YamlValues() {}

  /**
   * A whole number.
   *
   * @param where the file and the mapping's path, e.g. {@code conf/clustering.yaml: clustering.}
   * @param isInt whether it must fit an {@code int}
   */
  static long whole(
      JsonNode c, String key, long dflt, boolean isInt, String where, List<String> problems) {
    JsonNode v = c.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isIntegralNumber() || !(isInt ? v.canConvertToInt() : v.canConvertToLong())) {
      problems.add(where + key + ": '" + v.asText() + "' is not a whole number");
      return dflt;
    }
    return v.asLong();
  }

  /** A number. */
  static double number(JsonNode c, String key, double dflt, String where, List<String> problems) {
    JsonNode v = c.get(key);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.isNumber()) {
      problems.add(where + key + ": '" + v.asText() + "' is not a number");
      return dflt;
    }
    return v.asDouble();
  }
}
