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
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;

/**
 * Reads the statsmodels golden files written by scripts/golden/mixedlm_golden.py (cases, their
 * observations) and compares numbers with a relative tolerance, keeping the largest relative
 * difference per quantity.
 */
final class Golden {
  private Golden() {}

  static JsonNode read(String resource) {
    try (InputStream in = Golden.class.getResourceAsStream("/stats/golden/" + resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Cannot read golden file " + resource + ": not on the test classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read golden file " + resource, e);
    }
  }

  /** One dynamic test per case of a golden file, named by the case, running {@code check}. */
  static Stream<DynamicTest> perCase(JsonNode golden, Consumer<JsonNode> check) {
    return StreamSupport.stream(golden.get("cases").spliterator(), false)
        .map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> check.accept(c)));
  }

  /** The case called {@code name} of a golden file. */
  static JsonNode goldenCase(JsonNode golden, String name) {
    for (JsonNode c : golden.get("cases")) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no golden case " + name);
  }

  /** The observations of a mixedlm.json case (subject, y, the spec's factors and covariates). */
  static List<Observation> observations(JsonNode c) {
    DesignSpec spec = spec(c.get("spec"));
    JsonNode data = c.get("data");
    List<Observation> obs = new ArrayList<>();
    for (int i = 0; i < data.get("y").size(); i++) {
      obs.add(
          new Observation(
              data.get("subject").get(i).asText(),
              data.get("y").get(i).asDouble(),
              factors(spec, data, i),
              covariates(spec, data, i)));
    }
    return obs;
  }

  /**
   * The observations of a glm.json case (events, total times {@code totalFactor}, the spec's
   * factors and covariates).
   */
  static List<CountObservation> countObservations(JsonNode c, long totalFactor) {
    DesignSpec spec = spec(c.get("spec"));
    JsonNode data = c.get("data");
    List<CountObservation> obs = new ArrayList<>();
    for (int i = 0; i < data.get("events").size(); i++) {
      obs.add(
          new CountObservation(
              data.get("events").get(i).asLong(),
              totalFactor * data.get("total").get(i).asLong(),
              factors(spec, data, i),
              covariates(spec, data, i)));
    }
    return obs;
  }

  /** Asserts |expected - actual| <= rel max(|expected|, 1e-12). */
  static void assertClose(double expected, double actual, double rel, String what) {
    assertTrue(
        Math.abs(expected - actual) <= rel * Math.max(Math.abs(expected), 1e-12),
        () -> what + ": expected " + expected + ", got " + actual);
  }

  /** Asserts that a fit dropped as aliased the columns, in order, of the case's "dropped". */
  static void assertDropped(String name, JsonNode c, FixedEffects fixedEffects) {
    List<String> dropped = new ArrayList<>();
    fixedEffects.aliased().forEach(a -> dropped.add(a.name()));
    assertEquals(strings(c.get("dropped")), dropped, name + " dropped columns");
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
      assertTrue(
          rel <= tol,
          () ->
              what
                  + " "
                  + quantity
                  + ": statsmodels "
                  + expected
                  + ", ours "
                  + actual
                  + ", relative difference "
                  + rel
                  + " > "
                  + tol);
    }

    /** Checks estimate, standard error, z and p of every coefficient against a "result". */
    void checkCoefficients(String name, JsonNode result, List<Estimate> coefficients, double tol) {
      for (Estimate e : coefficients) {
        String what = name + " " + e.name();
        check("estimate", what, result.get("params").get(e.name()).asDouble(), e.estimate(), tol);
        check(
            "standard error",
            what,
            result.get("bse").get(e.name()).asDouble(),
            e.standardError(),
            tol);
        check("z", what, result.get("tvalues").get(e.name()).asDouble(), e.z(), tol);
        check("p", what, result.get("pvalues").get(e.name()).asDouble(), e.p(), tol);
      }
    }

    /** Checks every contrast of a case's "contrasts", as {@code contrast(label, weights)}. */
    void checkContrasts(
        String name,
        JsonNode contrasts,
        BiFunction<String, Map<String, Double>, Estimate> contrast,
        double tol) {
      for (JsonNode k : contrasts) {
        String what = name + " '" + k.get("label").asText() + "'";
        Estimate e = contrast.apply(k.get("label").asText(), weights(k.get("weights")));
        check("contrast estimate", what, k.get("estimate").asDouble(), e.estimate(), tol);
        check("contrast SE", what, k.get("se").asDouble(), e.standardError(), tol);
        check("contrast z", what, k.get("z").asDouble(), e.z(), tol);
        check("contrast p", what, k.get("p").asDouble(), e.p(), tol);
        check("contrast CI", what, k.get("lower").asDouble(), e.lower(), tol);
        check("contrast CI", what, k.get("upper").asDouble(), e.upper(), tol);
      }
    }

    void checkExact(String what, Object expected, Object actual) {
      assertEquals(expected, actual, what);
    }

    String report(String title) {
      StringBuilder sb =
          new StringBuilder(title).append(": max relative difference to statsmodels\n");
      max.forEach((q, v) -> sb.append(String.format("  %-22s %.3e  (%s)%n", q, v, where.get(q))));
      return sb.toString();
    }
  }
}
