package org.cytolake;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package graph of {@code org.cytolake}: no cycles, one layer order with no arrow up, Spark
 * only on top. {@link #LAYERS} is the one written source of that order (README's layout section
 * repeats it, one line per package).
 */
@AnalyzeClasses(
    packages = "org.cytolake",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      ArchitectureTest.DoNotIncludeTestJars.class
    })
class ArchitectureTest {

  /** Leaves out the test jars of core and generate (their shared test helpers). */
  static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(com.tngtech.archunit.core.importer.Location location) {
      return !location.contains("-tests.jar");
    }
  }

  /**
   * The packages of {@code org.cytolake}, from the bottom up: each may use those before it, never
   * one after it. A package's subpackages are part of it ({@code jobs.som} is {@code jobs}).
   *
   * <p>Two places differ from DESIGN.md's three layers, for what the code does: {@code config}
   * sits above the analysis cores because it turns the conf files into their values (a
   * {@code GatingStrategy}, {@code SomParams}, {@code PhenotypeRules}, {@code ReferencePopulations}),
   * and below the pipeline cores, which it hands typed settings ({@code PanelConfig},
   * {@code VisitSchedule}). {@code tables} sits below the pipeline cores because its contracts,
   * the quarantine record and the pseudonymizer are what {@code clinical}, {@code ingest} and
   * {@code report} shape their rows to; it uses Spark's type model only ({@link #sparkOnlyOnTop}).
   * {@code generate} is a separate tool (synthetic trials) on the format and statistics that only
   * {@code bench} and {@code cli} may use ({@link #theGeneratorIsATool}).
   */
  static final List<String> LAYERS =
      List.of(
          "simd", // whether the incubator Vector API kernels run (one switch)
          "fcs", // FCS 3.x format: header, TEXT, keywords, decoder, reader, writer
          "stats", // statistics: quantiles, Wilcoxon, Benjamini-Hochberg, mixed models
          "generate", // the synthetic trial generator (a separate tool)
          "cytometry", // compensation, transforms
          "gating", // gates, gating strategies and their readers, population statistics
          "workspace", // FlowJo and FACSDiva workspaces read into gating strategies
          "som", // the SOM, metaclustering and phenotype rules
          "clustering", // clustering of FCS files on the SOM, metacluster summaries
          "scoring", // scoring clusters and gates against reference labels
          "qc", // acquisition QC
          "normalise", // batch normalisation by quantiles (CytoNorm, optionally per SOM cluster)
          "config", // every conf file, typed and validated at start-up
          "tables", // table contracts, row shapes, quarantine records, pseudonyms
          "clinical", // clinical records: validation into rows
          "ingest", // the ingest plan: manifest, links, ledger, reconciliation
          "aggregate", // immunophenotype features, cohort summaries, clinical response
          "differential", // the differential table's models, families and screens
          "report", // the HTML run report
          "plot", // density plots and histograms with gate outlines (PNG, SVG)
          "lake", // under the lake's root: Lake (tables, _runs, _reports), publish, state, lock
          "source", // the Spark data source for FCS files
          "jobs", // the Spark jobs, one class per job
          "bench", // benchmarks
          "cli"); // the command line

  /** The packages that may use Spark (or Scala): the Spark side of the house. */
  static final List<String> SPARK = List.of("tables", "lake", "source", "jobs", "bench", "cli");

  @ArchTest
  static void everyPackageHasItsLayer(JavaClasses classes) {
    Set<String> unlisted = new TreeSet<>();
    for (JavaClass c : classes) {
      String top = topPackage(c);
      if (top != null && !LAYERS.contains(top)) {
        unlisted.add(top);
      }
    }
    assertEquals(
        Set.of(),
        unlisted,
        "Cannot check the package graph: packages not in "
            + "ArchitectureTest.LAYERS (add each where it belongs, and to README's layout)");
  }

  @ArchTest
  static final ArchRule noCycles =
      slices().matching("org.cytolake.(*)..").namingSlices("$1").should().beFreeOfCycles();

  @ArchTest static final ArchRule layers = layerOrder();

  @ArchTest
  static final ArchRule sparkOnlyOnTop =
      noClasses()
          .that()
          .resideInAPackage("org.cytolake..")
          .and()
          .resideOutsideOfPackages(
              SPARK.stream().map(p -> "org.cytolake." + p + "..").toArray(String[]::new))
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.spark..", "scala..")
          .because("the cores are plain Java, tested without Spark; only " + SPARK + " use Spark");

  @ArchTest
  static final ArchRule tablesUseOnlySparksTypes =
      noClasses()
          .that()
          .resideInAPackage("org.cytolake.tables..")
          .should()
          .dependOnClassesThat(
              resideInAnyPackage("org.apache.spark..", "scala..")
                  .and(resideOutsideOfPackage("org.apache.spark.sql.types..")))
          .because("tables use Spark's type model (org.apache.spark.sql.types) only");

  @ArchTest
  static final ArchRule theGeneratorIsATool =
      noClasses()
          .that()
          .resideInAPackage("org.cytolake..")
          .and()
          .resideOutsideOfPackages(
              "org.cytolake.generate..", "org.cytolake.bench..", "org.cytolake.cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.cytolake.generate..")
          .because("generate is a separate tool that bench and cli drive, not a core");

  /** {@link #LAYERS} as a layered architecture: each layer may use only the layers below it. */
  private static ArchRule layerOrder() {
    LayeredArchitecture arch =
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
    for (String p : LAYERS) {
      arch = arch.layer(p).definedBy("org.cytolake." + p + "..");
    }
    for (int i = 0; i < LAYERS.size(); i++) {
      String p = LAYERS.get(i);
      arch =
          i == 0
              ? arch.whereLayer(p).mayNotAccessAnyLayer()
              : arch.whereLayer(p).mayOnlyAccessLayers(LAYERS.subList(0, i).toArray(String[]::new));
    }
    return arch.because("ArchitectureTest.LAYERS is the layer order, bottom up");
  }

  /** The package right under org.cytolake of {@code c} ({@code jobs} for org.cytolake.jobs.som), or null. */
  private static String topPackage(JavaClass c) {
    String p = c.getPackageName();
    if (!p.startsWith("org.cytolake.")) {
      return null;
    }
    String rest = p.substring("org.cytolake.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
