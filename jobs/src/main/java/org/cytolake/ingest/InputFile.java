package org.cytolake.ingest;

import java.util.Locale;

/**
 * One file found under the input, as the file system lists it.
 *
 * @param path full path (as the file system names it)
 * @param size bytes
 * @param modifiedAt modification time, milliseconds since the epoch
 */
public record InputFile(String path, long size, long modifiedAt) {
  /** Whether a file name is one ingest reads: {@code *.fcs} or {@code *.lmd}, any case. */
  public static boolean isFcs(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return name.endsWith(".fcs") || name.endsWith(".lmd");
  }

  /** {@code path} relative to {@code root} (as quarantine names sources), or as is outside it. */
  public static String relative(String root, String path) {
    String r = root.endsWith("/") ? root : root + "/";
    return path.startsWith(r) ? path.substring(r.length()) : path;
  }
}
