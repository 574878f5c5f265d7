package org.cytolake.fcs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The keyword/value pairs of a TEXT segment, in file order. Keyword names are case-insensitive
 * (FCS 3.1 section 3.2.9): they are stored upper-case and trimmed. Values are kept as written except
 * for surrounding spaces, which are trimmed (and reported by the parser).
 */
public final class Keywords {
  private final Map<String, String> values;

  Keywords(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Normalises a keyword name: trimmed, upper-case. */
  public static String normalise(String keyword) {
    return keyword.trim().toUpperCase(Locale.ROOT);
  }

  /** The value of a keyword, if present (case-insensitive name). */
  public Optional<String> get(String keyword) {
    return Optional.ofNullable(values.get(normalise(keyword)));
  }

  /** The value of a keyword or null. */
  public String getOrNull(String keyword) {
    return values.get(normalise(keyword));
  }

  public boolean contains(String keyword) {
    return values.containsKey(normalise(keyword));
  }

  /** All keywords in file order (names upper-case). */
  public Map<String, String> asMap() {
    return values;
  }

  public int size() {
    return values.size();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
