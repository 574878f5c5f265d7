package org.cytolake.ingest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an ingest run changes in the lake, given its plan and what the lake held before
 * ({@link PreviousIngest}; nothing for a full run).
 *
 * <ul>
 *   <li>Unchanged: a planned sample whose file has the same path, content, outcome and sample id
 *       as the ledger says, and that the samples table holds: its events partitions stay as they
 *       are, and its events are not read again.
 *   <li>Changed: every other planned sample; its events are (re)written.
 *   <li>Removed: samples the lake holds that this input no longer yields (file gone, or now
 *       quarantined): their events partitions go, so the lake mirrors the input.
 * </ul>
 *
 * @param unchanged ids of the unchanged samples
 * @param changed the planned samples whose events are written, in plan order
 * @param removed per panel, the events partitions to delete ({@code visit=V/sample_id=S}),
 *     panels in order
 * @param eventsUnchanged events of the unchanged samples
 */
public record IngestDelta(
    Set<String> unchanged,
    List<PlannedSample> changed,
    Map<String, List<String>> removed,
    long eventsUnchanged) {

  public IngestDelta {
    unchanged = Set.copyOf(unchanged);
    changed = List.copyOf(changed);
    TreeMap<String, List<String>> r = new TreeMap<>();
    removed.forEach((panel, partitions) -> r.put(panel, List.copyOf(partitions)));
    removed = java.util.Collections.unmodifiableSortedMap(r);
  }

  /**
   * The delta of {@code plan} over the lake's previous state.
   *
   * @param ledger the previous ledger by path
   * @param samples the previous samples by id
   */
  public static IngestDelta of(
      IngestPlan plan,
      Map<String, PreviousIngest.LedgerRow> ledger,
      Map<String, PreviousIngest.SampleRow> samples) {
    Set<String> unchanged = new HashSet<>();
    long eventsUnchanged = 0;
    for (PlannedSample sample : plan.samples()) {
      PreviousIngest.LedgerRow l = ledger.get(sample.check().path());
      if (l != null
          && sample.check().sha256().equals(l.entry().sha256())
          && "ingested".equals(l.entry().outcome())
          && sample.sampleId().equals(l.entry().sampleId())
          && samples.containsKey(sample.sampleId())) {
        unchanged.add(sample.sampleId());
        eventsUnchanged += sample.check().events();
      }
    }
    List<PlannedSample> changed =
        plan.samples().stream().filter(x -> !unchanged.contains(x.sampleId())).toList();
    Set<String> planned =
        plan.samples().stream().map(PlannedSample::sampleId).collect(Collectors.toSet());
    Map<String, List<String>> removed = new TreeMap<>();
    for (PreviousIngest.SampleRow r : samples.values()) {
      if (!planned.contains(r.sampleId())) {
        removed
            .computeIfAbsent(r.panel(), k -> new ArrayList<>())
            .add("visit=" + r.visit() + "/sample_id=" + r.sampleId());
      }
    }
    return new IngestDelta(unchanged, changed, removed, eventsUnchanged);
  }

  /** The changed samples by panel, panels in order. */
  public Map<String, List<PlannedSample>> changedByPanel() {
    return changed.stream()
        .collect(Collectors.groupingBy(PlannedSample::panel, TreeMap::new, Collectors.toList()));
  }

  /** Events the changed samples hold: what the events tables must receive. */
  public long eventsChanged() {
    return changed.stream().mapToLong(s -> s.check().events()).sum();
  }

  /** Ids of the changed samples, sorted. */
  public List<String> changedSampleIds() {
    return changed.stream().map(PlannedSample::sampleId).sorted().toList();
  }

  /** How many samples are removed. */
  public int removedCount() {
    return removed.values().stream().mapToInt(List::size).sum();
  }

  /** The delta in words: "N sample(s) unchanged (E events not read again), C new or changed, R removed". */
  public String describe() {
    return unchanged.size()
        + " sample(s) unchanged ("
        + eventsUnchanged
        + " events not read again), "
        + changed.size()
        + " new or changed, "
        + removedCount()
        + " removed";
  }
}
