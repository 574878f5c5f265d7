package org.cytolake.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cytolake.config.ChannelConfig;
import org.cytolake.config.ConfigException;
import org.cytolake.config.CytolakeConfig;
import org.cytolake.config.PanelConfig;
import org.cytolake.config.SpilloverSource;
import org.cytolake.cytometry.transform.AsinhCofactor;
import org.cytolake.cytometry.transform.Identity;
import org.cytolake.cytometry.transform.Transform;
import org.cytolake.cytometry.transform.TransformSpec;
import org.cytolake.stats.Quantiles;
import org.cytolake.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Which comparisons with baseline each kind of feature gets: fold changes only for quantities that
 * cannot be negative, changes in transformed units and ratios of back-transformed values for
 * intensities. The CyTOF figures are those of issue 14 (asinh cofactor 5 medians of pZap70 in B
 * cells, −0.02 at baseline, 0.26 after).
 */
class FeatureScaleTest {
  static final FeatureScale CYTOF = FeatureScale.intensity(new AsinhCofactor(5));

  @Test
  void anAsinhMedianNearZeroGetsNoFoldChange() {
    // the ratio of the transformed medians would be 0.26 / -0.02 = -13
    assertTrue(Double.isNaN(CYTOF.foldChange(0.26, -0.02)));
    assertEquals(0.28, CYTOF.change(0.26, -0.02), 1e-12);
    // linear baseline 5 sinh(-0.02) = -0.1000067 <= 0: no linear ratio either
    assertTrue(Double.isNaN(CYTOF.linearRatio(0.26, -0.02)));
    Observation o =
        new Observation("p", "RA", "D8", "B", "Bcell", "median_pzap70", CYTOF, 0.26, -0.02);
    assertTrue(Double.isNaN(o.foldChange()) && Double.isNaN(o.linearRatio()));
    assertEquals(0.28, o.change(), 1e-12);
  }

  @Test
  void anAsinhMedianHasTheRatioOfItsLinearValues() {
    // 5 sinh(2) / (5 sinh(1)) = 3.626860407847019 / 1.1752011936438014 (Python math.sinh)
    assertEquals(3.086161269630488, CYTOF.linearRatio(2, 1), 1e-12);
    assertTrue(Double.isNaN(CYTOF.foldChange(2, 1)));
    // at the baseline visit the ratio is 1, and a cofactor cancels out of asinh ratios
    assertEquals(1.0, CYTOF.linearRatio(0.7, 0.7), 1e-15);
    assertEquals(
        CYTOF.linearRatio(1.3, 0.4),
        FeatureScale.intensity(new AsinhCofactor(150)).linearRatio(1.3, 0.4),
        1e-12);
    // a linear value of 0 is a ratio of 0; a negative linear value has none
    assertEquals(0.0, CYTOF.linearRatio(0, 1), 0);
    assertTrue(Double.isNaN(CYTOF.linearRatio(-0.1, 1)));
    assertTrue(Double.isNaN(CYTOF.linearRatio(1, 0)));
    assertTrue(Double.isNaN(CYTOF.linearRatio(Double.NaN, 1)));
    assertTrue(Double.isNaN(CYTOF.linearRatio(1, Double.NaN)));
  }

  /**
   * The linear ratio of two medians of transformed events is the ratio of the medians of the
   * linear events (odd event counts: the median is an event's value), for every transform.
   */
  @Test
  void theLinearRatioOfMediansIsTheRatioOfLinearMedians() {
    Random rnd = new Random(14);
    for (String spec :
        List.of(
            "asinh:cofactor=5",
            "asinh:cofactor=150",
            "logicle",
            "hyperlog",
            "log",
            "asinh",
            "linear",
            "none")) {
      Transform t = TransformSpec.parse(spec);
      FeatureScale scale = FeatureScale.intensity(t);
      for (int trial = 0; trial < 20; trial++) {
        double[] before = events(rnd, 1 + 2 * rnd.nextInt(200), 50 + 500 * rnd.nextDouble());
        double[] after = events(rnd, 1 + 2 * rnd.nextInt(200), 50 + 500 * rnd.nextDouble());
        double expected = median(after) / median(before);
        double got = scale.linearRatio(median(transform(t, after)), median(transform(t, before)));
        assertEquals(expected, got, 1e-7 * expected, spec);
      }
    }
  }

  /** n positive intensities, log-normal around {@code centre}. */
  static double[] events(Random rnd, int n, double centre) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = centre * Math.exp(0.8 * rnd.nextGaussian());
    }
    return x;
  }

  static double[] transform(Transform t, double[] x) {
    return Arrays.stream(x).map(t::apply).toArray();
  }

  static double median(double[] x) {
    return Quantiles.type7Median(x);
  }

  @Test
  void untransformedIntensitiesAreRatiosOfTheValuesButNeverFoldChanges() {
    FeatureScale linear = FeatureScale.intensity(new Identity());
    assertEquals("none", linear.label());
    assertEquals(3.0, linear.linearRatio(30, 10), 1e-15);
    assertTrue(Double.isNaN(linear.foldChange(30, 10)));
    assertTrue(Double.isNaN(linear.linearRatio(30, -5)));
  }

  @Test
  void percentagesCountsAndCountRatiosKeepTheirFoldChange() {
    for (FeatureScale s :
        List.of(FeatureScale.percent(), FeatureScale.count(), FeatureScale.countRatio())) {
      assertEquals(2.0, s.foldChange(11, 5.5), 1e-15, s.label());
      assertEquals(5.5, s.change(11, 5.5), 1e-15, s.label());
      assertEquals(0.0, s.foldChange(0, 5.5), 0, s.label());
      assertTrue(Double.isNaN(s.foldChange(3, 0)), s.label());
      assertTrue(Double.isNaN(s.foldChange(3, Double.NaN)), s.label());
      assertTrue(Double.isNaN(s.foldChange(Double.NaN, 3)), s.label());
      assertTrue(Double.isNaN(s.linearRatio(11, 5.5)), s.label());
    }
  }

  @Test
  void labelsRoundTrip() {
    assertEquals(
        List.of("percent", "count", "count_ratio", "asinh:cofactor=150"),
        List.of(
            FeatureScale.percent().label(),
            FeatureScale.count().label(),
            FeatureScale.countRatio().label(),
            FeatureScale.intensity(new AsinhCofactor(150)).label()));
    for (FeatureScale s :
        List.of(
            FeatureScale.percent(),
            FeatureScale.count(),
            FeatureScale.countRatio(),
            CYTOF,
            FeatureScale.intensity(new Identity()),
            FeatureScale.intensity(TransformSpec.parse("logicle")))) {
      assertEquals(s, FeatureScale.parse(s.label()));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureScale.parse("percentage"));
    assertTrue(
        e.getMessage().startsWith("Cannot parse feature scale 'percentage'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new FeatureScale(FeatureScale.Kind.INTENSITY, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new FeatureScale(FeatureScale.Kind.PERCENT, new Identity()));
  }

  @Test
  void markerMediansTakeTheirChannelsTransform() {
    PanelConfig p1 =
        new PanelConfig(
            "P1",
            "TREG",
            "",
            List.of(
                new ChannelConfig("FSC-A", null, "fsc_a", new Identity(), false),
                new ChannelConfig("PE-A", "CD25", "cd25", new AsinhCofactor(150), true)),
            SpilloverSource.FILE);
    Path file = Path.of("conf/features.yaml");
    Map<String, Map<String, FeatureScale>> ok =
        FeatureScale.markerMedians(
            file, Map.of("P1", p1), Map.of("P1", Map.of("Treg", List.of("cd25", "fsc_a"))));
    assertEquals("asinh:cofactor=150", ok.get("P1").get("cd25").label());
    assertEquals("none", ok.get("P1").get("fsc_a").label());
    // every unknown panel and column at once, each naming file, key and value
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () ->
                FeatureScale.markerMedians(
                    file,
                    Map.of("P1", p1),
                    Map.of(
                        "P1",
                        Map.of("Treg", List.of("cd25", "foxp3")),
                        "P9",
                        Map.of("B", List.of("cd19")))));
    assertEquals(2, e.problems().size(), e.getMessage());
    assertTrue(
        e.getMessage().contains("conf/features.yaml: medians.P1.Treg: column 'foxp3'"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("conf/features.yaml: medians.P9: panel 'P9'"), e.getMessage());
  }

  /** The project's conf/: every marker median of features.yaml is an arcsinh(x/150) intensity. */
  @Test
  void theProjectsMarkerMediansAreAsinhIntensities() {
    Path conf = SharedData.projectDir().resolve("conf");
    AggregateConfig agg = AggregateConfig.load(conf);
    Map<String, Map<String, FeatureScale>> scales =
        FeatureScale.markerMedians(
            conf.resolve("features.yaml"),
            CytolakeConfig.load(conf).panels(),
            agg.features().medians());
    assertTrue(!scales.isEmpty());
    scales
        .values()
        .forEach(
            byColumn ->
                byColumn.values().forEach(s -> assertEquals("asinh:cofactor=150", s.label())));
  }
}
