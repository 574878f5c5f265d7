package org.cytolake.jobs;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One step of the nightly run, as {@link NightlyJob}'s loop sees it: its name, what its result
 * depends on (a fingerprint of its inputs, recorded in the lake's state when it completes), the
 * table that must exist for it to be skipped, and the work. The loop skips a step whose
 * fingerprint is the one it recorded last and whose output exists; a step without a fingerprint
 * runs every night (it may be incremental on its own, as FCS ingest is).
 */
interface NightlyStep {

  /** The step's name: the key of its state, its {@code runs.steps} entry and its log lines. */
  String name();

  /** Whether the step reads the run's input (the quarantine limit is checked after the last). */
  default boolean ingests() {
    return false;
  }

  /** Whether the step is skipped, "no samples in the lake", when the lake has no samples. */
  default boolean needsSamples() {
    return false;
  }

  /**
   * What the step's result depends on (configuration files, input, upstream runs), or null when
   * the step runs every night.
   */
  default String fingerprint(NightlyRun night) throws IOException {
    return null;
  }

  /** A table the step writes: while it is missing the step runs whatever its fingerprint. */
  default String output() {
    return null;
  }

  /** State names of the step's job itself, cleared with the step's own by {@code --full}. */
  default List<String> ownState() {
    return List.of();
  }

  /**
   * Why the step is skipped tonight, or empty when it runs.
   *
   * @param last the state the step recorded when it last completed (empty when never)
   * @param changed whether its fingerprint or output changed since then
   */
  Optional<String> skip(NightlyRun night, Map<String, Object> last, boolean changed);

  /**
   * What a skipped step still contributes to the run (the quarantine share of an input that did
   * not change), from the state it recorded.
   */
  default void skipped(NightlyRun night, Map<String, Object> last) {}

  /** Runs the step; the detail goes to {@code runs.steps}, the state to the lake's state. */
  Ran run(NightlyRun night, Map<String, Object> last, boolean changed) throws IOException;

  /**
   * Whether a step's result may have changed since it last completed: it has no fingerprint (it
   * runs every night), its fingerprint differs from the one it recorded, or its output is missing.
   *
   * @param fingerprint the step's fingerprint tonight, or null
   * @param last the state it recorded when it last completed (empty when never)
   */
  static boolean changed(String fingerprint, Map<String, Object> last, boolean outputMissing) {
    return fingerprint == null || !fingerprint.equals(last.get("fingerprint")) || outputMissing;
  }

  /** The state a step records when it completes: its own, its fingerprint and the run id. */
  static Map<String, Object> completed(
      Map<String, Object> state, String fingerprint, String runId) {
    Map<String, Object> record = new TreeMap<>(state);
    record.put("fingerprint", fingerprint);
    record.put("run_id", runId);
    return record;
  }

  /**
   * What a step that ran reports.
   *
   * @param detail counts for the run's record
   * @param state what to record beside the fingerprint and run id for the next night
   */
  record Ran(Map<String, Object> detail, Map<String, Object> state) {
    Ran(Map<String, Object> detail) {
      this(detail, Map.of());
    }
  }
}
