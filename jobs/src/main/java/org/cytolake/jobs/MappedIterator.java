package org.cytolake.jobs;

import java.util.Iterator;
import java.util.Objects;
import java.util.function.Function;

/**
 * An iterator over another one's elements, each mapped as it is asked for: what a {@code
 * mapPartitions} function returns to transform a partition row by row without holding it in
 * memory. {@code hasNext} is the source's; {@code next} maps the source's next element (the
 * function runs once per element, when it is asked for), so the source's {@code
 * NoSuchElementException} and the function's exceptions reach the caller unchanged. It does not
 * support {@code remove}.
 *
 * @param <T> the source's elements
 * @param <R> the mapped elements
 */
public final class MappedIterator<T, R> implements Iterator<R> {
  private final Iterator<T> source;
  private final Function<? super T, ? extends R> map;

  private MappedIterator(Iterator<T> source, Function<? super T, ? extends R> map) {
    this.source = Objects.requireNonNull(source, "source");
    this.map = Objects.requireNonNull(map, "map");
  }

  /** {@code source}'s elements through {@code map}, one at a time, in order. */
  public static <T, R> Iterator<R> map(Iterator<T> source, Function<? super T, ? extends R> map) {
    return new MappedIterator<>(source, map);
  }

  @Override
  public boolean hasNext() {
    return source.hasNext();
  }

  @Override
  public R next() {
    return map.apply(source.next());
  }
}
