package org.cytolake.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the statsmodels golden files written by scripts/golden/mixedlm_golden.py and compares
 * numbers with a relative tolerance, keeping the largest relative difference per quantity.
 */
final class Golden {
  private Golden() {}

  static JsonNode read(String resource) {
    try (InputStream in = Golden.class.getResourceAsStream("/stats/golden/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("Cannot read golden file " + resource
            + ": not on the test classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read golden file " + resource, e);
    }
  }

  /** The DesignSpec of a case's "spec" node. */
  static DesignSpec spec(JsonNode spec) {
    DesignSpec.Builder b = DesignSpec.builder();
    for (JsonNode t : spec.get("terms")) {
      if (t.get("kind").asText().equals("factor")) {
        b.factor(t.get("name").asText(), t.get("reference").asText());
      } else {
        b.covariate(t.get("name").asText());
      }
    }
    for (JsonNode inter : spec.get("interactions")) {
      List<String> fs = new ArrayList<>();
      inter.forEach(f -> fs.add(f.asText()));
      b.interaction(fs.toArray(String[]::new));
    }
    return b.build();
  }

  /** Factor levels of row i for the spec's factors. */
  static Map<String, String> factors(DesignSpec spec, JsonNode data, int i) {
    Map<String, String> m = new LinkedHashMap<>();
    for (DesignSpec.Term t : spec.terms()) {
      if (t instanceof DesignSpec.Factor f) {
        m.put(f.name(), data.get(f.name()).get(i).asText());
      }
    }
    return m;
  }

  /** Covariate values of row i for the spec's covariates. */
  static Map<String, Double> covariates(DesignSpec spec, JsonNode data, int i) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (DesignSpec.Term t : spec.terms()) {
      if (t instanceof DesignSpec.Covariate c) {
        m.put(c.name(), data.get(c.name()).get(i).asDouble());
      }
    }
    return m;
  }

  static Map<String, Double> weights(JsonNode w) {
    Map<String, Double> m = new LinkedHashMap<>();
    w.properties().forEach(e -> m.put(e.getKey(), e.getValue().asDouble()));
    return m;
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** Largest relative differences seen, by quantity, over all cases of a test class. */
  static final class Diffs {
    private final Map<String, Double> max = new TreeMap<>();
    private final Map<String, String> where = new TreeMap<>();

    /** Asserts |actual - expected| <= tol |expected| and records the relative difference. */
    void check(String quantity, String what, double expected, double actual, double tol) {
      double rel = expected == actual ? 0 : Math.abs(actual - expected) / Math.abs(expected);
      if (!max.containsKey(quantity) || rel > max.get(quantity)) {
        max.put(quantity, rel);
        where.put(quantity, what);
      }
      assertTrue(rel <= tol, () -> what + " " + quantity + ": statsmodels " + expected + ", ours "
          + actual + ", relative difference " + rel + " > " + tol);
    }

    void checkExact(String what, Object expected, Object actual) {
      assertEquals(expected, actual, what);
    }

    String report(String title) {
      StringBuilder sb = new StringBuilder(title)
          .append(": max relative difference to statsmodels\n");
      max.forEach((q, v) -> sb.append(String.format("  %-22s %.3e  (%s)%n", q, v, where.get(q))));
      return sb.toString();
    }
  }
}
