package org.cytolake.bench;

import java.io.PrintStream;
import java.util.Locale;

/** Progress lines of a benchmark run, on stderr so stdout stays for the JSON result. */
public interface BenchLog {
  void info(String format, Object... args);

  /** Timestamped lines on {@code out}. */
  static BenchLog to(PrintStream out) {
    return (format, args) ->
        out.printf(
            Locale.ROOT,
            "[bench %tT] %s%n",
            System.currentTimeMillis(),
            String.format(Locale.ROOT, format, args));
  }

  /** Discards everything (tests). */
  static BenchLog quiet() {
    return (format, args) -> {};
  }
}
