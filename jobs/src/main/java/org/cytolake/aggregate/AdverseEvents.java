package org.cytolake.aggregate;

import java.util.List;
import java.util.Locale;

/** The rules of {@code safety_summary} on one adverse event ({@code adverse_events}). */
public final class AdverseEvents {
  /**
   * {@code adverse_events.related} values that mean "not related", compared with leading and
   * trailing spaces removed and in upper case; any other non-null value is related.
   */
  public static final List<String> NOT_RELATED = List.of("NOT RELATED", "UNRELATED", "NONE", "N");

  private AdverseEvents() {}

  /**
   * Whether an event is related to the study drug by its relatedness ({@code AEREL}): not null
   * and, with leading and trailing spaces (U+0020 only) removed and upper-cased, not one of
   * {@link #NOT_RELATED}.
   */
  public static boolean isRelated(String related) {
    if (related == null) {
      return false;
    }
    int from = 0;
    int to = related.length();
    while (from < to && related.charAt(from) == ' ') {
      from++;
    }
    while (to > from && related.charAt(to - 1) == ' ') {
      to--;
    }
    return !NOT_RELATED.contains(related.substring(from, to).toUpperCase(Locale.ROOT));
  }
}
