package org.cytolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class MappedIteratorTest {

  @Test
  void mapsEveryElementInOrder() {
    List<String> out = new ArrayList<>();
    MappedIterator.map(List.of(1, 2, 3).iterator(), i -> "r" + i).forEachRemaining(out::add);
    assertEquals(List.of("r1", "r2", "r3"), out);
  }

  @Test
  void mapsLazilyOneElementPerNext() {
    List<Integer> seen = new ArrayList<>();
    Iterator<Integer> it =
        MappedIterator.map(
            List.of(1, 2, 3).iterator(),
            i -> {
              seen.add(i);
              return i * 10;
            });
    assertTrue(it.hasNext());
    assertTrue(it.hasNext());
    assertEquals(List.of(), seen, "hasNext maps nothing");
    assertEquals(10, it.next());
    assertEquals(List.of(1), seen, "one element mapped per next");
    assertEquals(20, it.next());
    assertEquals(30, it.next());
    assertFalse(it.hasNext());
    assertEquals(List.of(1, 2, 3), seen, "each element mapped once");
  }

  @Test
  void anEmptySourceGivesNothingAndNextThrowsTheSourcesException() {
    Iterator<String> it = MappedIterator.map(Collections.<Integer>emptyIterator(), i -> "x");
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
  }

  @Test
  void theFunctionsExceptionReachesTheCallerUnchanged() {
    IllegalArgumentException bad = new IllegalArgumentException("Cannot map row 2");
    Iterator<Integer> it =
        MappedIterator.map(
            List.of(1, 2).iterator(),
            i -> {
              if (i == 2) {
                throw bad;
              }
              return i;
            });
    assertEquals(1, it.next());
    assertSame(bad, assertThrows(IllegalArgumentException.class, it::next));
  }

  @Test
  void removeIsNotSupported() {
    Iterator<Integer> it = MappedIterator.map(new ArrayList<>(List.of(1)).iterator(), i -> i);
    it.next();
    assertThrows(UnsupportedOperationException.class, it::remove);
  }
}
