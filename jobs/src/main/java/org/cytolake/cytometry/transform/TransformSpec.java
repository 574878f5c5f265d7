package org.cytolake.cytometry.transform;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Parses the text form of a {@link Transform}, as written in configuration files and on the command line:
 * {@code type} or {@code type:key=value,key=value,...}. Names are case-sensitive; blanks around names, values and
 * separators are ignored.
 *
 * <table>
 *   <caption>Types and their parameters</caption>
 *   <tr><th>spec</th><th>transform</th></tr>
 *   <tr><td>{@code none}</td><td>{@link Identity}</td></tr>
 *   <tr><td>{@code linear:T=..,A=..}</td><td>{@link Linear} (Gating-ML flin)</td></tr>
 *   <tr><td>{@code log:T=..,M=..}</td><td>{@link Log} (Gating-ML flog)</td></tr>
 *   <tr><td>{@code asinh:T=..,M=..,A=..}</td><td>{@link Asinh} (Gating-ML fasinh)</td></tr>
 *   <tr><td>{@code asinh:cofactor=..}</td><td>{@link AsinhCofactor}, asinh(x / cofactor)</td></tr>
 *   <tr><td>{@code logicle:T=..,W=..,M=..,A=..}</td><td>{@link Logicle}</td></tr>
 *   <tr><td>{@code hyperlog:T=..,W=..,M=..,A=..}</td><td>{@link Hyperlog}</td></tr>
 *   <tr><td>{@code flowjo-biex:width=..,neg=..,pos=..,maxRange=..}</td><td>{@link FlowJoBiex} (all four
 *   required)</td></tr>
 * </table>
 *
 * <p>An omitted Gating-ML parameter takes its default ({@link #T_DEFAULT}, {@link #W_DEFAULT}, {@link #M_DEFAULT},
 * {@link #A_DEFAULT}), so a bare type name gives the transform on the usual 18-bit scale, e.g. {@code logicle} is
 * {@code logicle:T=262144,W=0.5,M=4.5,A=0}. The cofactor has no default and excludes T, M and A.
 */
public final class TransformSpec {

  /** Default T, the top of scale: 2^18, the full scale of common 18-bit digital cytometers. */
  public static final double T_DEFAULT = 262_144;

  /** Default W, the width of the near-linear region of logicle and hyperlog, in decades. */
  public static final double W_DEFAULT = 0.5;

  /** Default M, the number of decades of log, asinh, logicle and hyperlog. */
  public static final double M_DEFAULT = 4.5;

  /** Default A: no extra negative range (a data value for linear, decades otherwise). */
  public static final double A_DEFAULT = 0;

  /** Parameter of {@code asinh:cofactor=..}. */
  static final String COFACTOR = "cofactor";

  /** Numbers as written in specs: decimal, optional sign and exponent; no NaN, Infinity, hex or type suffix. */
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

  private static final Map<String, Kind> KINDS = new LinkedHashMap<>();

  static {
    KINDS.put(Identity.ID, new Kind(List.of(), p -> new Identity()));
    KINDS.put(
        Linear.ID,
        new Kind(
            List.of("T", "A"),
            p -> new Linear(p.getOrDefault("T", T_DEFAULT), p.getOrDefault("A", A_DEFAULT))));
    KINDS.put(
        Log.ID,
        new Kind(
            List.of("T", "M"),
            p -> new Log(p.getOrDefault("T", T_DEFAULT), p.getOrDefault("M", M_DEFAULT))));
    KINDS.put(
        Asinh.ID,
        new Kind(
            List.of("T", "M", "A", COFACTOR),
            p ->
                p.containsKey(COFACTOR)
                    ? new AsinhCofactor(p.get(COFACTOR))
                    : new Asinh(
                        p.getOrDefault("T", T_DEFAULT),
                        p.getOrDefault("M", M_DEFAULT),
                        p.getOrDefault("A", A_DEFAULT))));
    KINDS.put(Logicle.ID, twma(Logicle::new));
    KINDS.put(Hyperlog.ID, twma(Hyperlog::new));
    KINDS.put(
        FlowJoBiex.ID,
        new Kind(
            List.of("width", "neg", "pos", "maxRange"),
            p ->
                new FlowJoBiex(
                    p.getOrDefault("width", Double.NaN),
                    p.getOrDefault("neg", Double.NaN),
                    p.getOrDefault("pos", Double.NaN),
                    p.getOrDefault("maxRange", Double.NaN))));
  }

  private TransformSpec() {}

  /**
   * Parses a spec into a transform.
   *
   * @throws IllegalArgumentException naming the spec and every problem in it (unknown type or parameter, a value
   *     that is not a number, a repeated parameter, or a parameter outside the transform's constraints)
   */
  public static Transform parse(String spec) {
    Objects.requireNonNull(spec, "spec");
    String action = "Cannot parse transform '" + spec + "'";
    int colon = spec.indexOf(':');
    String type = (colon < 0 ? spec : spec.substring(0, colon)).strip();
    Kind kind = KINDS.get(type);
    if (kind == null) {
      throw new IllegalArgumentException(
          action
              + ": unknown type '"
              + type
              + "' (expected one of "
              + String.join(", ", KINDS.keySet())
              + ")");
    }
    Problems problems = new Problems(action);
    Map<String, Double> parameters = new LinkedHashMap<>();
    if (colon >= 0) {
      for (String item : spec.substring(colon + 1).split(",", -1)) {
        parseParameter(type, kind, item.strip(), parameters, problems);
      }
    }
    problems.check(
        !parameters.containsKey(COFACTOR) || parameters.size() == 1,
        COFACTOR + " cannot be combined with T, M or A");
    problems.throwIfAny();
    try {
      return kind.factory().apply(parameters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(action + ": " + e.getMessage(), e);
    }
  }

  private static void parseParameter(
      String type, Kind kind, String item, Map<String, Double> parameters, Problems problems) {
    int equals = item.indexOf('=');
    if (equals < 0) {
      problems.add("'" + item + "' is not of the form key=value");
      return;
    }
    String key = item.substring(0, equals).strip();
    String value = item.substring(equals + 1).strip();
    if (!kind.keys().contains(key)) {
      problems.add(
          "unknown parameter '"
              + key
              + "' for "
              + type
              + " (expected "
              + (kind.keys().isEmpty() ? "no parameters" : String.join(", ", kind.keys()))
              + ")");
    } else if (parameters.containsKey(key)) {
      problems.add("parameter " + key + " is given more than once");
    } else if (!NUMBER.matcher(value).matches()) {
      problems.add(key + "='" + value + "' is not a number");
    } else {
      parameters.put(key, Double.parseDouble(value));
    }
  }

  /** Formats a parameter for {@link Transform#spec()}: shortest exact decimal, no exponent, no trailing zeros. */
  static String format(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** The parameters a type accepts and how to build it from the given ones. */
  private record Kind(List<String> keys, Function<Map<String, Double>, Transform> factory) {}

  /** The constructor of a {@link TwmaTransform}. */
  private interface TwmaFactory {
    TwmaTransform of(double T, double W, double M, double A);
  }

  /** The kind of a {@link TwmaTransform}: T, W, M and A, each with its default. */
  private static Kind twma(TwmaFactory make) {
    return new Kind(
        List.of("T", "W", "M", "A"),
        p ->
            make.of(
                p.getOrDefault("T", T_DEFAULT),
                p.getOrDefault("W", W_DEFAULT),
                p.getOrDefault("M", M_DEFAULT),
                p.getOrDefault("A", A_DEFAULT)));
  }
}
