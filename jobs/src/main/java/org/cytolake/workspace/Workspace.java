package org.cytolake.workspace;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An analysis workspace of FlowJo or FACSDiva: its samples, each with the analyst's own gates as a
 * {@link org.cytolake.gating.GatingStrategy} and the counts the software stored.
 *
 * @param source the workspace file name, for messages
 * @param format what wrote it, e.g. {@code FlowJo 10.6.2}, {@code FlowJo 9.2}
 * @param samples the samples in workspace order
 */
public record Workspace(String source, String format, List<WorkspaceSample> samples) {

  public Workspace {
    Objects.requireNonNull(source, "source");
    samples = List.copyOf(samples);
  }

  /** The sample with this name (FlowJo's sample name, usually the FCS file name) or id, if any. */
  public Optional<WorkspaceSample> sample(String nameOrId) {
    for (WorkspaceSample s : samples) {
      if (s.name().equals(nameOrId) || s.id().equals(nameOrId)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
