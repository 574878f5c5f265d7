package org.cytolake.lake;

import java.util.Locale;
import java.util.Set;

/**
 * Which file systems publish a lake atomically. {@link TablePublisher} swaps directories by
 * rename; that is atomic only where the file system renames a directory in one metadata operation.
 * HDFS (and WebHDFS and ViewFs over it) and local disks do. Object stores do not: S3 ({@code s3a},
 * {@code s3n}, {@code s3}) and Google Cloud Storage ({@code gs}) copy and delete object by object,
 * Azure Blob ({@code wasb}) likewise; a reader, or a run killed part-way, then sees a half-published
 * table. ({@code abfs} is atomic only on accounts with a hierarchical namespace, which cannot be
 * told from the path, so it is treated as not atomic.) Such a lake is refused unless
 * {@code lake.accept-non-atomic-rename: true} accepts the risk.
 */
public final class AtomicRename {
  /** Schemes whose directory rename is atomic. */
  public static final Set<String> ATOMIC_SCHEMES =
      Set.of("file", "hdfs", "viewfs", "webhdfs", "swebhdfs");

  private AtomicRename() {}

  /** Whether a directory rename on this scheme is atomic. */
  public static boolean isAtomic(String scheme) {
    return scheme != null && ATOMIC_SCHEMES.contains(scheme.toLowerCase(Locale.ROOT));
  }

  /**
   * Checks that a lake can be published to atomically.
   *
   * @param lake the lake root as given
   * @param scheme the scheme its path resolves to (the default file system's for a path without
   *     one)
   * @param accepted {@code lake.accept-non-atomic-rename}
   * @return null when the scheme is atomic; a warning to log when it is not but the risk was
   *     accepted
   * @throws IllegalArgumentException when it is not atomic and the risk was not accepted
   */
  public static String check(String lake, String scheme, boolean accepted) {
    if (isAtomic(scheme)) {
      return null;
    }
    String why =
        "renames on '"
            + scheme
            + ":' are not atomic (directories are copied object by "
            + "object), so readers or a run killed part-way could see half-published tables";
    if (accepted) {
      return "lake "
          + lake
          + ": "
          + why
          + "; publishing anyway because "
          + "lake.accept-non-atomic-rename is true";
    }
    throw new IllegalArgumentException(
        "Cannot publish to lake '"
            + lake
            + "': "
            + why
            + ". Put the lake on HDFS or a local/NFS disk (file:), or on an object store through a "
            + "table format that commits atomically, or set lake.accept-non-atomic-rename: true in "
            + "conf/cytolake.yaml to accept the risk (schemes with atomic rename: "
            + new java.util.TreeSet<>(ATOMIC_SCHEMES)
            + ")");
  }
}
