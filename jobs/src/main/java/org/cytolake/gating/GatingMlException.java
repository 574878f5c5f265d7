package org.cytolake.gating;

import java.util.List;

/**
 * A Gating-ML document (or its {@link CompactGatingReader compact form}) that cannot be read. The message names the file and lists every problem found,
 * each naming the element and the gate (or transformation) id.
 */
public final class GatingMlException extends Exception {
  private final List<String> problems;

  public GatingMlException(String source, List<String> problems) {
    this("Gating-ML", source, problems);
  }

  /** A problem of a gating file in another form, e.g. {@code format} "compact gating". */
  public GatingMlException(String format, String source, List<String> problems) {
    super("Cannot read " + format + " file '" + source + "': " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public GatingMlException(String source, String problem, Throwable cause) {
    super("Cannot read Gating-ML file '" + source + "': " + problem, cause);
    this.problems = List.of(problem);
  }

  /** Every problem, one sentence each. */
  public List<String> problems() {
    return problems;
  }
}
