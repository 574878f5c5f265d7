package org.cytolake.gating;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable Gating-ML 2.0 document: gates by id (a DAG through parent ids and Boolean references),
 * transformations and spectrum matrices by id. Its populations are the gates' ids, except that a quadrant gate
 * contributes its quadrants' ids instead of its own. Populations whose id starts with {@value #HELPER_PREFIX} are
 * helpers ({@link #isHelper}).
 */
public final class GatingStrategy {
  /**
   * Gate ids starting with this are helpers (e.g. the parts of a Boolean gate): evaluated like any gate, but not
   * populations an analyst reads (the lake does not write them, scoring leaves them out).
   */
  public static final String HELPER_PREFIX = "_";

  private final Map<String, Gate> gates;
  private final Map<String, Transformation> transformations;
  private final Map<String, SpectrumMatrix> spectrumMatrices;
  private final Map<String, QuadrantGate> quadrantOwners;
  private final List<String> populations;
  private final Map<String, InputChannel> inputs;

  private GatingStrategy(
      Map<String, Gate> gates,
      Map<String, Transformation> transformations,
      Map<String, SpectrumMatrix> spectrumMatrices) {
    this(gates, transformations, spectrumMatrices, Map.of());
  }

  private GatingStrategy(
      Map<String, Gate> gates,
      Map<String, Transformation> transformations,
      Map<String, SpectrumMatrix> spectrumMatrices,
      Map<String, InputChannel> inputs) {
    this.inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    this.gates = Collections.unmodifiableMap(new LinkedHashMap<>(gates));
    this.transformations = Collections.unmodifiableMap(new LinkedHashMap<>(transformations));
    this.spectrumMatrices = Collections.unmodifiableMap(new LinkedHashMap<>(spectrumMatrices));
    Map<String, QuadrantGate> owners = new LinkedHashMap<>();
    List<String> pops = new ArrayList<>();
    for (Gate g : gates.values()) {
      if (g instanceof QuadrantGate q) {
        for (QuadrantGate.Quadrant quadrant : q.quadrants()) {
          owners.put(quadrant.id(), q);
          pops.add(quadrant.id());
        }
      } else {
        pops.add(g.id());
      }
    }
    this.quadrantOwners = Collections.unmodifiableMap(owners);
    this.populations = List.copyOf(pops);
  }

  /**
   * Creates a strategy, checking that every id is unique and every reference (parent, Boolean reference,
   * transformation, compensation) resolves and that parents and references have no cycle.
   *
   * @throws IllegalArgumentException listing every problem, each naming the gate
   */
  public static GatingStrategy of(
      List<Gate> gates,
      List<Transformation> transformations,
      List<SpectrumMatrix> spectrumMatrices) {
    List<String> problems = new ArrayList<>();
    Map<String, Gate> g = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    for (Gate gate : gates) {
      if (!ids.add(gate.id())) {
        problems.add("gate id '" + gate.id() + "' is used more than once");
      }
      g.put(gate.id(), gate);
      if (gate instanceof QuadrantGate q) {
        for (QuadrantGate.Quadrant quadrant : q.quadrants()) {
          if (!ids.add(quadrant.id())) {
            problems.add(
                "quadrant id '"
                    + quadrant.id()
                    + "' of gate '"
                    + q.id()
                    + "' is used more than once");
          }
        }
      }
    }
    Map<String, Transformation> t = new LinkedHashMap<>();
    for (Transformation tr : transformations) {
      if (t.put(tr.id(), tr) != null) {
        problems.add("transformation id '" + tr.id() + "' is used more than once");
      }
    }
    Map<String, SpectrumMatrix> s = new LinkedHashMap<>();
    for (SpectrumMatrix m : spectrumMatrices) {
      if (s.put(m.id(), m) != null) {
        problems.add("spectrumMatrix id '" + m.id() + "' is used more than once");
      }
    }
    GatingStrategy strategy = new GatingStrategy(g, t, s);
    strategy.check(problems);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    return strategy;
  }

  private void check(List<String> problems) {
    for (Gate gate : gates.values()) {
      String where = gate.getClass().getSimpleName() + " '" + gate.id() + "'";
      if (gate.parentId() != null && !isPopulation(gate.parentId())) {
        problems.add(where + " has parent_id '" + gate.parentId() + "' which is no gate");
      }
      for (Dimension d : gate.dimensions()) {
        checkDimension(where, d, problems);
      }
      if (gate instanceof BooleanGate b) {
        for (BooleanGate.Reference r : b.references()) {
          if (!isPopulation(r.ref())) {
            problems.add(where + " refers to gate '" + r.ref() + "' which does not exist");
          }
        }
      }
      if (gate instanceof RectangleGate r) {
        for (RectangleGate.AutoLimit a : r.auto()) {
          String ref = a.spec().reference();
          if (ref != null && !isPopulation(ref)) {
            problems.add(
                where
                    + " dimension '"
                    + r.dimensions().get(a.dimension()).label()
                    + "' auto "
                    + a.side()
                    + " has reference '"
                    + ref
                    + "' which is no gate");
          }
        }
      }
    }
    if (problems.isEmpty()) {
      Map<String, Integer> state = new HashMap<>();
      for (String p : populations) {
        findCycle(p, state, new ArrayList<>(), problems);
      }
    }
  }

  private void checkDimension(String where, Dimension d, List<String> problems) {
    String c = d.compensationRef();
    if (!c.equals(Dimension.UNCOMPENSATED)
        && !c.equals(Dimension.FCS)
        && !spectrumMatrices.containsKey(c)) {
      problems.add(
          where
              + " dimension '"
              + d.label()
              + "' has compensation-ref '"
              + c
              + "' which is neither 'uncompensated', 'FCS' nor a spectrumMatrix id");
    }
    if (d.isDerived()) {
      Transformation t = transformations.get(d.ratioRef());
      if (t == null) {
        problems.add(
            where
                + " new-dimension has transformation-ref '"
                + d.ratioRef()
                + "' which is no transformation");
      } else if (t.ratio() == null) {
        problems.add(
            where
                + " new-dimension refers to transformation '"
                + t.id()
                + "' which is "
                + t.type()
                + ", not fratio");
      }
    }
    if (d.transformationRef() != null) {
      Transformation t = transformations.get(d.transformationRef());
      if (t == null) {
        problems.add(
            where
                + " dimension '"
                + d.label()
                + "' has transformation-ref '"
                + d.transformationRef()
                + "' which is no transformation");
      } else if (t.ratio() != null) {
        problems.add(
            where
                + " dimension '"
                + d.label()
                + "' has transformation-ref '"
                + t.id()
                + "', a ratio, which only a new-dimension can use");
      }
    }
  }

  /** Depth-first search over parents and Boolean references; state 1 = on the path, 2 = done. */
  private void findCycle(
      String id, Map<String, Integer> state, List<String> path, List<String> problems) {
    Integer s = state.get(id);
    if (s != null) {
      if (s == 1) {
        problems.add(
            "gates refer to each other in a cycle: " + String.join(" -> ", path) + " -> " + id);
      }
      return;
    }
    state.put(id, 1);
    path.add(id);
    for (String next : dependencies(id)) {
      findCycle(next, state, path, problems);
    }
    path.remove(path.size() - 1);
    state.put(id, 2);
  }

  /**
   * The populations a population's membership depends on: its parent, Boolean references and the
   * reference populations of its data-adaptive limits.
   */
  List<String> dependencies(String population) {
    List<String> deps = new ArrayList<>();
    Gate g = gateOf(population);
    if (g.parentId() != null) {
      deps.add(g.parentId());
    }
    if (g instanceof BooleanGate b) {
      b.references().forEach(r -> deps.add(r.ref()));
    }
    if (g instanceof RectangleGate r) {
      r.auto().stream()
          .map(a -> a.spec().reference())
          .filter(java.util.Objects::nonNull)
          .forEach(deps::add);
    }
    return deps;
  }

  /** Whether an id is a population: a gate other than a quadrant gate, or a quadrant. */
  public boolean isPopulation(String id) {
    return quadrantOwners.containsKey(id)
        || (gates.containsKey(id) && !(gates.get(id) instanceof QuadrantGate));
  }

  /** The gate defining a population (for a quadrant, its quadrant gate). */
  public Gate gateOf(String population) {
    QuadrantGate q = quadrantOwners.get(population);
    return q != null ? q : gates.get(population);
  }

  /** The parent of a population, if any. */
  public Optional<String> parentOf(String population) {
    return Optional.ofNullable(gateOf(population).parentId());
  }

  /**
   * A population's path: the ids from the top of its chain of parents down to it, joined by '/'
   * (e.g. {@code cells/singlets/live/lymphocytes/T/CD4/Treg}), as the lake's populations table names it.
   * An id that already starts with its parent's path and '/' is its own path: a workspace's
   * populations are ids like {@code Lymphocytes/Single Cells/CD3+} under {@code Lymphocytes/Single Cells}.
   */
  public String path(String population) {
    String parent = parentOf(population).orElse(null);
    if (parent == null) {
      return population;
    }
    String parentPath = path(parent);
    return population.startsWith(parentPath + "/") ? population : parentPath + "/" + population;
  }

  /**
   * A population's name, the last part of its {@link #path}: its id, or for an id that carries its
   * parent's path ({@code Lymphocytes/Single Cells/CD3+}) what follows it ({@code CD3+}).
   */
  public String name(String population) {
    String parent = parentOf(population).orElse(null);
    if (parent == null) {
      return population;
    }
    String prefix = path(parent) + "/";
    return population.startsWith(prefix) ? population.substring(prefix.length()) : population;
  }

  /** Population ids in document order: gate ids, with a quadrant gate replaced by its quadrants' ids. */
  public List<String> populations() {
    return populations;
  }

  /** Whether a population id names a helper gate ({@value #HELPER_PREFIX}...), not a population to report. */
  public static boolean isHelper(String population) {
    return population.startsWith(HELPER_PREFIX);
  }

  /** {@link #populations()} without the helpers, in document order. */
  public List<String> reportedPopulations() {
    return populations.stream().filter(p -> !isHelper(p)).toList();
  }

  /** Gates by id, in document order. */
  public Map<String, Gate> gates() {
    return gates;
  }

  public Map<String, Transformation> transformations() {
    return transformations;
  }

  public Map<String, SpectrumMatrix> spectrumMatrices() {
    return spectrumMatrices;
  }

  /**
   * Channels computed from a column of the event table rather than read from it, by the name the
   * gates use ({@link InputChannel}); empty for a strategy read from a file.
   */
  public Map<String, InputChannel> inputs() {
    return inputs;
  }

  /** This strategy with these input channels (replacing any it had). */
  public GatingStrategy withInputs(Map<String, InputChannel> newInputs) {
    return new GatingStrategy(gates, transformations, spectrumMatrices, newInputs);
  }
}
