package org.cytolake.generate;

import java.util.SplittableRandom;

/**
 * Derives independent, reproducible random streams from the trial seed and a name, so that every
 * file, patient and visit has its own stream whatever the order or thread it is generated on.
 */
final class Seeds {
  private Seeds() {}

  /** A 64-bit seed from the trial seed and the parts (FNV-1a over the parts, then SplitMix64). */
  static long of(long seed, String... parts) {
    long h = 0xcbf29ce484222325L ^ mix(seed);
    for (String part : parts) {
      for (int i = 0; i < part.length(); i++) {
        h ^= part.charAt(i);
        h *= 0x100000001b3L;
      }
      h ^= 0x1f; // separator: ("ab","c") differs from ("a","bc")
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /** A random stream for the trial seed and the parts. */
  static SplittableRandom random(long seed, String... parts) {
    return new SplittableRandom(of(seed, parts));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
