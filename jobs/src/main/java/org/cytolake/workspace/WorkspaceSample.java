package org.cytolake.workspace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.cytolake.gating.GatingStrategy;

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
 */
public record WorkspaceSample(
    String id,
    String name,
    String fcsName,
    long storedEvents,
    GatingStrategy strategy,
    Map<String, Long> storedCounts) {

  public WorkspaceSample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(strategy, "strategy");
    storedCounts = Collections.unmodifiableMap(new LinkedHashMap<>(storedCounts));
  }
}
