package org.cytolake.workspace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cytolake.gating.GatingStrategy;
import org.cytolake.gating.SpectrumMatrix;

/**
 * One sample of a workspace. Population ids of {@link #strategy()} are population paths as FlowJo shows them
 * ({@code Lymphocytes/Single Cells/CD3+}), the root excluded.
 *
 * @param id the workspace's sample id
 * @param name the sample's name (FlowJo: usually the FCS file name; DIVA: the tube name)
 * @param fcsName the FCS file name the workspace refers to, or the name when it does not say
 * @param storedEvents events in the sample as the software stored them, or -1
 * @param strategy the gates, with compensation and transforms
 * @param storedCounts population path → count the software stored (absent when it stored none)
 * @param compensation for a workspace whose gates are on display axes (FlowJo 9): the matrix that makes the
 *     compensated channels (its fluorochromes, e.g. {@code <APC-A>}) before {@link #displayScales} apply; else null
 * @param displayScales channel (compensated name where compensated) → the display axis its gates are drawn and
 *     evaluated on; the strategy's coordinates on these channels are display channels. Empty when the strategy
 *     carries its own transforms (FlowJo 10, FACSDiva)
 * @param templateGroups the FlowJo groups whose gating templates the sample's gates come from, because it has none
 *     of its own; empty when its gates are its own
 */
public record WorkspaceSample(
    String id,
    String name,
    String fcsName,
    long storedEvents,
    GatingStrategy strategy,
    Map<String, Long> storedCounts,
    SpectrumMatrix compensation,
    Map<String, DisplayScale> displayScales,
    List<String> templateGroups) {

  public WorkspaceSample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(strategy, "strategy");
    storedCounts = Collections.unmodifiableMap(new LinkedHashMap<>(storedCounts));
    displayScales = Map.copyOf(displayScales);
    templateGroups = List.copyOf(templateGroups);
  }
}
