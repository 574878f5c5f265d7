package org.cytolake.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The synthetic trial's cell populations and staining panels, in one place: TRIAL.md section 2
 * (panels, gating hierarchy with baseline % of parent and between-patient SD) plus each
 * population's phenotype, from which the event simulator draws and from which a gating strategy
 * can be derived.
 *
 * <p><b>Populations.</b> One biological tree of {@link Population}s, written as slash paths from
 * the two top-level nodes {@code debris} and {@code cells} (the root, all events, has the empty
 * path). A node's {@link Share} is its baseline % of its parent, drawn per patient logit-normally
 * with TRIAL.md's mean and SD (μ and σ solved so that the draws have exactly that mean and SD);
 * siblings are then normalised to 100%, or the one sibling without a share takes the remainder.
 * {@code debris}, {@code cells/doublets} and {@code cells/singlets/dead} have a {@link PerFile}
 * share drawn uniformly per file instead (sample handling, not biology). Visit effects multiply
 * shares ({@link EffectModel}); a share pushed past 85% saturates smoothly below 100%.
 *
 * <p><b>Phenotypes.</b> Each node may set, per marker, a {@link Level}: mean and SD of the stained
 * signal in arcsinh(x/150) space ({@link #COFACTOR}); children inherit what they do not set. The
 * root sets every marker negative (0.15 ± 0.45, i.e. 0 ± ~70 linear). Each node may set its
 * {@link Scatter} position (linear FSC-A and SSC-A, log-normal spread).
 *
 * <p>The tree itself is data: {@code panel-tree.txt} beside this class (resources), one node a
 * row, indented under its parent, with its share, scatter and marker levels; its header comments
 * give the columns.
 *
 * <p><b>Panels.</b> A {@link Panel} maps the 10 fluorescence detectors to markers (TRIAL.md's panel
 * table) and says which parts of the tree its markers cannot resolve: a {@code collapse} node
 * becomes one leaf for the panel, and a {@link Merge} joins siblings into one leaf. Events are
 * always drawn from the finest populations (a P1 Tconv cell still has its memory phenotype); the
 * panel's label of an event is the panel leaf containing it ({@link PanelTree}). TRIAL.md
 * populations that cut across the tree (Helios+ or FOXP3+ Tregs across aTreg/rTreg, activated
 * Tconv and CD8 across memory subsets) are {@link Derived} unions of panel leaves.
 *
 * <p><b>Separable by design ({@code --separable}).</b> In the separable model every population a
 * panel resolves can be gated exactly by a correct strategy ({@code conf/gating/}), so that gating
 * can be tested against these labels event by event. (The default, realistic model draws the same
 * tree, shares and panels from overlapping distributions instead: {@link RealisticModel}.) Every
 * normal deviate of an event is truncated at ±{@link #TRUNCATION} SD (redrawn
 * beyond): marker levels, log-normal scatter, the FSC-H/FSC-A ratio, photon noise, and the daily
 * detector gain ({@link Instrument}) and patient intensity level ({@link Biology}). Each
 * population therefore occupies a bounded box, and means and SDs are set so that the boxes of
 * populations a gate separates leave a real gap around the gate's threshold, wide enough for what
 * moves a population after the draw: the detector gain (±0.13 in arcsinh units) and the setup
 * change (±10-20%) of {@link Instrument}, spillover spreading (compensation removes spillover but
 * not its photon noise), visit and patient intensity effects ({@link EffectModel}: Treg CD25 and
 * FOXP3, Tconv CD25; the visit fold changes are not truncated), and float/int16 encoding. The gaps
 * hold against each of these at its bound; only a joint extreme of several could still cross one,
 * and {@code GatingSeparatesDataSamplesTest} checks that no event of data-samples does.
 * The geometry is bounded the same way: debris FSC-A ≤ 12k below every cell's ≥ 17k; doublets
 * have FSC-H/FSC-A in [{@link #DOUBLET_HEIGHT_RATIO_MIN}, {@link #DOUBLET_HEIGHT_RATIO_MAX}),
 * singlets 0.86 ± 2.5 × 0.025 = [0.7975, 0.9225]; dead cells' viability dye is [4.3, 6.1] against
 * live cells' [-1.0, 1.3]. The gaps and thresholds are listed in {@code conf/gating/*.yaml}. The
 * labels stay the generator's own: an event's label is the population it was drawn from, never
 * what a gate says.
 */
public final class PanelModel {
  private PanelModel() {}

  /** Cofactor c of the arcsinh(x / c) space phenotypes are given in. */
  public static final double COFACTOR = 150.0;

  /** $PnR of every float channel: an 18-bit BD instrument. */
  public static final long RANGE = 262_144;

  /** Lowest value written: BD floats go slightly negative after baseline restoration. */
  public static final float MIN_VALUE = -111f;

  /** Highest value written. */
  public static final float MAX_VALUE = 262_143f;

  public static final String DEBRIS = "debris";
  public static final String CELLS = "cells";
  public static final String DOUBLETS = "cells/doublets";
  public static final String SINGLETS = "cells/singlets";
  public static final String DEAD = "cells/singlets/dead";
  public static final String LIVE = "cells/singlets/live";
  public static final String CD45NEG = LIVE + "/CD45neg";
  public static final String LEUKOCYTES = LIVE + "/leukocytes";
  public static final String LYMPHOCYTES = LEUKOCYTES + "/lymphocytes";
  public static final String T = LYMPHOCYTES + "/T";
  public static final String CD4 = T + "/CD4";
  public static final String TREG = CD4 + "/Treg";
  public static final String ATREG = TREG + "/aTreg";
  public static final String RTREG = TREG + "/rTreg";
  public static final String TCONV = CD4 + "/Tconv";
  public static final String CD8 = T + "/CD8";
  public static final String B = LYMPHOCYTES + "/B";
  public static final String NK = LYMPHOCYTES + "/NK";
  public static final String MONOCYTES = LEUKOCYTES + "/monocytes";
  public static final String EOSINOPHILS = LEUKOCYTES + "/eosinophils";
  public static final String NEUTROPHILS = LEUKOCYTES + "/neutrophils";

  /** Every marker of the three panels; phenotypes are indexed in this order. */
  public static final List<String> MARKERS =
      List.of(
          "CD45RA",
          "CD25",
          "HLA-DR",
          "CD4",
          "CD127",
          "FOXP3",
          "Viability",
          "Helios",
          "CD3",
          "CD8",
          "CCR7",
          "CD38",
          "CD16",
          "CD56",
          "CD19",
          "CD45",
          "CD14",
          "CD27");

  /** The fluorescence detectors ($PnN), in file order. */
  public static final List<String> DETECTORS =
      List.of(
          "FITC-A",
          "PE-A",
          "PE-CF594-A",
          "PerCP-Cy5.5-A",
          "PE-Cy7-A",
          "APC-A",
          "APC-H7-A",
          "BV421-A",
          "BV510-A",
          "BV605-A");

  /** Scatter channels, written before the detectors. */
  public static final List<String> SCATTER = List.of("FSC-A", "FSC-H", "SSC-A");

  public static final String TIME = "Time";

  /** Channels per file: scatter, detectors, Time. */
  public static final int CHANNELS = SCATTER.size() + DETECTORS.size() + 1;

  /**
   * Every normal deviate of an event (marker level, log scatter, FSC-H/FSC-A ratio, photon noise,
   * daily detector gain, patient intensity level) is drawn from the standard normal truncated at
   * ±TRUNCATION (redrawn beyond), so every population occupies a bounded box.
   */
  public static final double TRUNCATION = 2.5;

  /** FSC-H / FSC-A of one cell: mean and SD (before truncation). */
  public static final double SINGLET_HEIGHT_RATIO = 0.86;

  public static final double SINGLET_HEIGHT_RATIO_SD = 0.025;

  /** FSC-H / FSC-A of a doublet, uniform in [MIN, MAX): below every singlet's 0.7975. */
  public static final double DOUBLET_HEIGHT_RATIO_MIN = 0.58;

  public static final double DOUBLET_HEIGHT_RATIO_MAX = 0.70;

  /** A standard-normal deviate truncated to ±{@link #TRUNCATION}: redrawn until inside. */
  public static double truncatedGaussian(java.util.SplittableRandom rng) {
    double z;
    do {
      z = rng.nextGaussian();
    } while (Math.abs(z) > TRUNCATION);
    return z;
  }

  /** The centre and spread of a marker level in arcsinh(x/150) space, whatever its shape. */
  public interface Spread {
    double mean();

    double sd();
  }

  /** Mean and SD of a stained signal in arcsinh(x/150) space. */
  public record Level(double mean, double sd) implements Spread {
    /** The linear value of the mean, 150·sinh(mean). */
    public double linearMean() {
      return COFACTOR * Math.sinh(mean);
    }
  }

  /** Linear FSC-A and SSC-A centre with log-normal spread (SD of the natural log). */
  public record Scatter(double fsc, double fscSd, double ssc, double sscSd) {}

  /**
   * Baseline % of the parent: mean and between-patient SD (TRIAL.md), clamped to
   * [{@code minPct}, {@code maxPct}]. Nodes with the same {@code key} share one draw per patient
   * (the Helios/FOXP3 split of aTreg and rTreg); nodes with the same {@code zKey} share the
   * standard-normal deviate (patients with more activated CD4 T cells have them in every subset).
   */
  public record Share(
      double meanPct, double sdPct, double minPct, double maxPct, String key, String zKey) {}

  /** Fraction of the parent drawn uniformly per file, in percent. */
  public record PerFile(double minPct, double maxPct) {}

  /** One node of the biological tree. */
  public record Population(
      int index,
      String path,
      int parent,
      Share share,
      PerFile perFile,
      Map<String, Level> phenotype,
      Scatter scatter) {
    public String name() {
      int i = path.lastIndexOf('/');
      return i < 0 ? path : path.substring(i + 1);
    }

    /** The key of its share draw (its path unless shared). */
    public String shareKey() {
      return share == null || share.key() == null ? path : share.key();
    }
  }

  /** Joins sibling populations into one panel leaf. */
  public record Merge(String parent, List<String> children, String name) {}

  /**
   * A staining panel.
   *
   * @param id P1, P2, P3
   * @param name the tube name
   * @param markers marker of each of {@link #DETECTORS}, in order
   * @param eventDivisor events of a file = events per sample / divisor (P1 1, P2 and P3 2)
   * @param collapse nodes whose subtree is one leaf in this panel
   * @param merges siblings joined into one leaf
   */
  public record Panel(
      String id,
      String name,
      List<String> markers,
      int eventDivisor,
      List<String> collapse,
      List<Merge> merges) {
    /** The marker ($PnS) of a detector. */
    public String markerOf(String detector) {
      return markers.get(DETECTORS.indexOf(detector));
    }

    /** Events of one file of this panel. */
    public int events(int eventsPerSample) {
      return Math.max(1, eventsPerSample / eventDivisor);
    }
  }

  /**
   * A TRIAL.md population that is a union of panel leaves under {@code parent}: those whose last
   * path segment is {@code leafName} ({@code include}) or is not ({@code !include}).
   */
  public record Derived(
      String panel, String path, String parent, String leafName, boolean include) {
    public boolean contains(String leafPath) {
      if (!leafPath.startsWith(parent + "/")) {
        return false;
      }
      String last = leafPath.substring(leafPath.lastIndexOf('/') + 1);
      return last.equals(leafName) == include;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The tree: panel-tree.txt beside this class. Percentages and SDs from TRIAL.md section 2
  // unless marked [A].
  // ---------------------------------------------------------------------------------------------

  private static final Level NEGATIVE = new Level(0.15, 0.45);
  private static final List<Population> TREE;
  private static final Map<String, Population> BY_PATH;

  static {
    Builder b = new Builder();
    Map<String, Level> root = new LinkedHashMap<>();
    for (String m : MARKERS) {
      root.put(m, NEGATIVE);
    }
    b.add("", null, null, root, null);
    List<String> ancestors = new ArrayList<>();
    for (SpecTable.Row r : SpecTable.read("panel-tree.txt", "node", "share", "scatter", "levels")) {
      int level = r.depth() / 2;
      if (r.depth() % 2 != 0 || level > ancestors.size()) {
        throw r.error("indent a node two spaces a level below its parent");
      }
      ancestors.subList(level, ancestors.size()).clear();
      String path = level == 0 ? r.get(0) : ancestors.get(level - 1) + "/" + r.get(0);
      ancestors.add(path);
      List<String> share = r.words(1);
      if (share.equals(List.of("rest"))) {
        b.add(path, null, null, levels(r), scatter(r));
      } else if (share.size() == 3 && share.get(0).equals("per-file")) {
        PerFile perFile = new PerFile(number(share.get(1)), number(share.get(2)));
        b.add(path, null, perFile, levels(r), scatter(r));
      } else {
        b.add(path, share(r, share), null, levels(r), scatter(r));
      }
    }
    TREE = b.preOrder();
    Map<String, Population> byPath = new LinkedHashMap<>();
    for (Population p : TREE) {
      byPath.put(p.path(), p);
    }
    BY_PATH = Collections.unmodifiableMap(byPath);
    for (String path :
        List.of(
            DEBRIS,
            DOUBLETS,
            DEAD,
            CD45NEG,
            TREG,
            ATREG,
            RTREG,
            TCONV,
            CD8,
            B,
            NK,
            MONOCYTES,
            EOSINOPHILS,
            NEUTROPHILS)) {
      if (!BY_PATH.containsKey(path)) {
        throw new IllegalStateException("panel-tree.txt has no population " + path);
      }
    }
  }

  /** A share column: {@code mean sd min max}, optionally {@code key=K} or {@code z=K}. */
  private static Share share(SpecTable.Row r, List<String> w) {
    String key = null;
    String zKey = null;
    if (w.size() == 5 && w.get(4).startsWith("key=")) {
      key = w.get(4).substring("key=".length());
    } else if (w.size() == 5 && w.get(4).startsWith("z=")) {
      zKey = w.get(4).substring("z=".length());
    } else if (w.size() != 4) {
      throw r.error("share: rest, per-file MIN MAX, or MEAN SD MIN MAX [key=K | z=K]");
    }
    return new Share(
        number(w.get(0)), number(w.get(1)), number(w.get(2)), number(w.get(3)), key, zKey);
  }

  /** A scatter column: FSC-A, its log-SD, SSC-A, its log-SD; null when empty. */
  private static Scatter scatter(SpecTable.Row r) {
    List<String> w = r.words(2);
    if (w.isEmpty()) {
      return null;
    }
    if (w.size() != 4) {
      throw r.error("scatter: FSC SD SSC SD");
    }
    return new Scatter(number(w.get(0)), number(w.get(1)), number(w.get(2)), number(w.get(3)));
  }

  /** A levels column: {@code marker mean sd, ...}; marker {@code *} sets every marker. */
  private static Map<String, Level> levels(SpecTable.Row r) {
    Map<String, Level> m = new LinkedHashMap<>();
    String field = r.get(3);
    for (String item : field.isEmpty() ? new String[0] : field.split(",")) {
      String[] w = item.strip().split("\\s+");
      if (w.length != 3 || !(w[0].equals("*") || MARKERS.contains(w[0]))) {
        throw r.error("Cannot define phenotype: expected 'marker mean sd', not '" + item + "'");
      }
      Level level = new Level(number(w[1]), number(w[2]));
      for (String marker : w[0].equals("*") ? MARKERS : List.of(w[0])) {
        m.put(marker, level);
      }
    }
    return m;
  }

  private static double number(String s) {
    return Double.parseDouble(s);
  }

  // ---------------------------------------------------------------------------------------------
  // Panels (TRIAL.md panel table) and the populations their markers cannot resolve.
  // ---------------------------------------------------------------------------------------------

  /** The panels in order: {@code panels.txt} beside this class, one panel a row. */
  public static final List<Panel> PANELS = readPanels();

  public static final Panel P1 = PANELS.get(0);
  public static final Panel P2 = PANELS.get(1);
  public static final Panel P3 = PANELS.get(2);

  private static List<Panel> readPanels() {
    List<Panel> panels = new ArrayList<>();
    for (SpecTable.Row r :
        SpecTable.read("panels.txt", "id", "name", "markers", "divisor", "collapse", "merges")) {
      List<String> markers = r.words(2);
      if (markers.size() != DETECTORS.size() || !MARKERS.containsAll(markers)) {
        throw r.error("markers: one of PanelModel.MARKERS for each of " + DETECTORS);
      }
      List<String> collapse = r.words(4).stream().map(n -> pathOf(r, n)).toList();
      List<Merge> merges = new ArrayList<>();
      for (String m : r.get(5).isEmpty() ? new String[0] : r.get(5).split(",")) {
        String[] parts = m.split("[:>]");
        if (parts.length != 3 || !parts[1].strip().endsWith("-")) {
          throw r.error("merges: 'parent: child child -> leaf', not '" + m.strip() + "'");
        }
        String children = parts[1].strip();
        merges.add(
            new Merge(
                pathOf(r, parts[0].strip()),
                List.of(children.substring(0, children.length() - 1).strip().split("\\s+")),
                parts[2].strip()));
      }
      int divisor = Integer.parseInt(r.get(3));
      panels.add(new Panel(r.get(0), r.get(1), markers, divisor, collapse, List.copyOf(merges)));
    }
    if (!panels.stream().map(Panel::id).toList().equals(List.of("P1", "P2", "P3"))) {
      throw new IllegalStateException("panels.txt must list P1, P2 and P3, in this order");
    }
    return List.copyOf(panels);
  }

  /** The path of the one population of the tree named {@code name}. */
  private static String pathOf(SpecTable.Row r, String name) {
    List<String> paths =
        TREE.stream().filter(p -> p.name().equals(name)).map(Population::path).toList();
    if (paths.size() != 1) {
      throw r.error("population name " + name + " matches " + paths + ", expected one");
    }
    return paths.get(0);
  }

  /** Populations of TRIAL.md's table that cut across the label tree. */
  public static final List<Derived> DERIVED =
      List.of(
          new Derived("P1", TREG + "/Helios+", TREG, "Helios+", true),
          new Derived("P1", TREG + "/FOXP3+", TREG, "FOXP3-", false),
          new Derived("P2", TCONV + "/activated", TCONV, "activated", true),
          new Derived("P2", CD8 + "/activated", CD8, "activated", true));

  /** The panel with this id (case-insensitive), or null. */
  public static Panel panel(String id) {
    for (Panel p : PANELS) {
      if (p.id().equalsIgnoreCase(id.trim())) {
        return p;
      }
    }
    return null;
  }

  public static List<String> panelIds() {
    return PANELS.stream().map(Panel::id).toList();
  }

  /** The biological tree in pre-order; index 0 is the root (all events, empty path). */
  public static List<Population> tree() {
    return TREE;
  }

  /** The node at {@code path}, or null. */
  public static Population population(String path) {
    return BY_PATH.get(path);
  }

  /** Indices of the children of node {@code index}, in order. */
  public static List<Integer> children(int index) {
    List<Integer> c = new ArrayList<>();
    for (Population p : TREE) {
      if (p.parent() == index) {
        c.add(p.index());
      }
    }
    return c;
  }

  /** Whether the node has no children. */
  public static boolean isLeaf(int index) {
    for (Population p : TREE) {
      if (p.parent() == index) {
        return false;
      }
    }
    return true;
  }

  /** The node's phenotype for every marker of {@link #MARKERS}, inherited down the tree. */
  public static Level[] phenotype(int index) {
    Level[] out = new Level[MARKERS.size()];
    List<Population> chain = new ArrayList<>();
    for (int i = index; i >= 0; i = TREE.get(i).parent()) {
      chain.add(0, TREE.get(i));
    }
    for (Population p : chain) {
      p.phenotype().forEach((m, l) -> out[MARKERS.indexOf(m)] = l);
    }
    return out;
  }

  /** The nearest scatter position up the tree, or null (debris has its own; root none). */
  public static Scatter scatter(int index) {
    for (int i = index; i >= 0; i = TREE.get(i).parent()) {
      if (TREE.get(i).scatter() != null) {
        return TREE.get(i).scatter();
      }
    }
    return null;
  }

  /**
   * A panel's view of the tree: its labels (the slash paths an event can carry, plus all their
   * ancestors, in pre-order) and, for each finest population, the label index of the panel leaf
   * it falls in.
   */
  public static final class PanelTree {
    private final Panel panel;
    private final List<String> labels;
    private final int[] parent;
    private final boolean[] leaf;
    private final int[] labelOfNode;

    private PanelTree(Panel panel) {
      this.panel = panel;
      List<String> names = new ArrayList<>();
      labelOfNode = new int[TREE.size()];
      Arrays.fill(labelOfNode, -1);
      for (Population p : TREE) {
        if (p.index() == 0) {
          continue;
        }
        String label = labelPath(panel, p.path());
        int at = names.indexOf(label);
        if (at < 0) {
          names.add(label);
          at = names.size() - 1;
        }
        labelOfNode[p.index()] = at;
      }
      labels = List.copyOf(names);
      parent = new int[labels.size()];
      leaf = new boolean[labels.size()];
      Arrays.fill(leaf, true);
      for (int i = 0; i < labels.size(); i++) {
        String l = labels.get(i);
        int slash = l.lastIndexOf('/');
        parent[i] = slash < 0 ? -1 : labels.indexOf(l.substring(0, slash));
        if (parent[i] >= 0) {
          leaf[parent[i]] = false;
        }
      }
    }

    public Panel panel() {
      return panel;
    }

    /** Every population of this panel as a slash path, parents before children. */
    public List<String> labels() {
      return labels;
    }

    /** Parent label index, -1 for the top-level {@code debris} and {@code cells}. */
    public int parent(int label) {
      return parent[label];
    }

    public boolean isLeaf(int label) {
      return leaf[label];
    }

    /** Label index of a path, or -1. */
    public int indexOf(String path) {
      return labels.indexOf(path);
    }

    /** The panel label of an event drawn from biological node {@code node}. */
    public int labelOf(int node) {
      return labelOfNode[node];
    }

    /** Whether label {@code label} lies in (or is) the population {@code ancestor}. */
    public boolean within(int label, int ancestor) {
      for (int i = label; i >= 0; i = parent[i]) {
        if (i == ancestor) {
          return true;
        }
      }
      return false;
    }
  }

  private static final Map<String, PanelTree> TREES = new LinkedHashMap<>();

  static {
    for (Panel p : PANELS) {
      TREES.put(p.id(), new PanelTree(p));
    }
  }

  /** The label tree of a panel. */
  public static PanelTree treeOf(Panel panel) {
    return TREES.get(panel.id());
  }

  /** The label an event of biological population {@code path} carries in {@code panel}. */
  static String labelPath(Panel panel, String path) {
    for (String c : panel.collapse()) {
      if (path.equals(c) || path.startsWith(c + "/")) {
        return c;
      }
    }
    for (Merge m : panel.merges()) {
      for (String child : m.children()) {
        String full = m.parent() + "/" + child;
        if (path.equals(full) || path.startsWith(full + "/")) {
          return m.parent() + "/" + m.name();
        }
      }
    }
    return path;
  }

  // ---------------------------------------------------------------------------------------------

  private static final class Builder {
    final List<Population> nodes = new ArrayList<>();

    void add(
        String path, Share share, PerFile perFile, Map<String, Level> levels, Scatter scatter) {
      int parent = -1;
      if (!path.isEmpty()) {
        int slash = path.lastIndexOf('/');
        String parentPath = slash < 0 ? "" : path.substring(0, slash);
        for (Population p : nodes) {
          if (p.path().equals(parentPath)) {
            parent = p.index();
          }
          if (p.path().equals(path)) {
            throw new IllegalStateException("Cannot define population " + path + " twice");
          }
        }
        if (parent < 0) {
          throw new IllegalStateException(
              "Cannot define population " + path + ": its parent is not defined before it");
        }
      }
      nodes.add(
          new Population(
              nodes.size(),
              path,
              parent,
              share,
              perFile,
              Collections.unmodifiableMap(new LinkedHashMap<>(levels)),
              scatter));
    }

    /** The nodes re-indexed in pre-order (each node followed by its subtree). */
    List<Population> preOrder() {
      List<Population> order = new ArrayList<>();
      visit(0, order);
      Map<Integer, Integer> index = new LinkedHashMap<>();
      for (int i = 0; i < order.size(); i++) {
        index.put(order.get(i).index(), i);
      }
      List<Population> out = new ArrayList<>();
      for (int i = 0; i < order.size(); i++) {
        Population p = order.get(i);
        out.add(
            new Population(
                i,
                p.path(),
                p.parent() < 0 ? -1 : index.get(p.parent()),
                p.share(),
                p.perFile(),
                p.phenotype(),
                p.scatter()));
      }
      return List.copyOf(out);
    }

    private void visit(int node, List<Population> order) {
      order.add(nodes.get(node));
      for (Population p : nodes) {
        if (p.parent() == node) {
          visit(p.index(), order);
        }
      }
    }
  }

  /** A marker's index in {@link #MARKERS}. */
  static int marker(String name) {
    int i = MARKERS.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("unknown marker " + name + " (known: " + MARKERS + ")");
    }
    return i;
  }

  /** Upper-case panel id for messages. */
  static String norm(String id) {
    return id.toUpperCase(Locale.ROOT);
  }
}
