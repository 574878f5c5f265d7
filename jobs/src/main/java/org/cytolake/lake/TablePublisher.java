package org.cytolake.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Atomic publication of staged table data into a lake (any Hadoop file system): what readers see
 * of a table changes one whole directory at a time, never a half-written one.
 *
 * <p>A job writes a table's new data under {@code <lake>/_staging/<id>/<table>} (readers never look
 * there: Spark, DuckDB and pandas skip paths starting with {@code _}). Publishing then swaps
 * directories by rename, which is atomic on HDFS and on local file systems:
 *
 * <ul>
 *   <li>an unpartitioned table: the table directory is replaced as a whole;
 *   <li>a partitioned table: each staged leaf partition ({@code visit=D8/sample_id=S1}) replaces
 *       the same partition of the table; partitions the staged data lacks are left as they are
 *       (Spark's dynamic partition overwrite, made atomic per partition);
 *   <li>append: the staged data files are moved into the table directory one by one;
 *   <li>delete: named partitions move out of the table.
 * </ul>
 *
 * <p>Before the first rename a journal ({@code <lake>/_publish/<id>.json}) lists every move. If
 * the process dies part-way (a killed driver), {@link #recover} rolls the journal forward: the
 * staged data is complete before the journal is written, so finishing the moves gives exactly the
 * state the run meant to publish. Replaced directories go to {@code <lake>/_trash/<id>/} and are
 * deleted once the journal is done. Between the two renames of one swap a reader may, for a few
 * milliseconds, find that one partition absent; it never finds a partial one.
 */
public final class TablePublisher {
  private static final Logger LOG = LoggerFactory.getLogger(TablePublisher.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Lakes whose non-atomic publication was already warned about in this JVM. */
  private static final java.util.Set<String> WARNED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Directory names under the lake root that are not tables. */
  public static final String STAGING = "_staging";

  public static final String JOURNALS = "_publish";
  public static final String TRASH = "_trash";

  /** How staged data meets the published table. */
  public enum Mode {
    REPLACE_TABLE,
    REPLACE_PARTITIONS,
    APPEND
  }

  /** One rename of a publication; {@code from == null} deletes {@code to} (moves it to trash). */
  public record Move(String from, String to, String trash) {}

  /** The journal of one publication. */
  public record Journal(String id, String table, List<Move> moves) {}

  private final Path root;
  private final Configuration conf;

  /** A publisher that refuses a lake without atomic rename ({@link AtomicRename}). */
  public TablePublisher(String lakeRoot, Configuration conf) {
    this(lakeRoot, conf, false);
  }

  /**
   * A publisher for a lake.
   *
   * @param acceptNonAtomicRename publish even on a file system whose renames are not atomic
   * @throws IllegalArgumentException when the lake's file system does not rename atomically and
   *     that was not accepted (nothing is read or written then)
   */
  public TablePublisher(String lakeRoot, Configuration conf, boolean acceptNonAtomicRename) {
    Path p = new Path(lakeRoot);
    String scheme =
        p.toUri().getScheme() != null
            ? p.toUri().getScheme()
            : FileSystem.getDefaultUri(conf).getScheme();
    String warning = AtomicRename.check(lakeRoot, scheme, acceptNonAtomicRename);
    if (warning != null && WARNED.add(lakeRoot)) {
      LOG.warn(warning);
    }
    try {
      // Qualified (scheme, absolute path): listings return qualified paths, and a relative lake
      // ("lake") must compare equal to them.
      this.root = p.getFileSystem(conf).makeQualified(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("Cannot open lake " + lakeRoot, e);
    }
    this.conf = conf;
  }

  /** A fresh staging directory for one table write. */
  public Path newStaging(String table) {
    return new Path(new Path(new Path(root, STAGING), newId()), table);
  }

  /** The id of a staging directory made by {@link #newStaging}. */
  private static String stagingId(Path staged) {
    return staged.getParent().getName();
  }

  private static String newId() {
    return System.currentTimeMillis() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * Publishes staged data (written under {@link #newStaging}) as {@code table}.
   *
   * @param partitionDepth number of partition keys of the table (0 = unpartitioned)
   * @return number of directories or files moved into the table
   */
  public int publish(Path staged, String table, int partitionDepth, Mode mode) throws IOException {
    FileSystem fs = staged.getFileSystem(conf);
    Path target = new Path(root, table);
    String id = stagingId(staged);
    Path trash = new Path(new Path(root, TRASH), id);
    List<Move> moves = new ArrayList<>();
    switch (mode) {
      case REPLACE_TABLE ->
          moves.add(
              new Move(staged.toString(), target.toString(), new Path(trash, table).toString()));
      case REPLACE_PARTITIONS -> {
        if (partitionDepth < 1) {
          throw new IllegalArgumentException(
              "Cannot replace partitions of table " + table + ": it has no partition keys");
        }
        for (Path leaf : leaves(fs, staged, partitionDepth)) {
          String rel = relative(staged, leaf);
          moves.add(
              new Move(
                  leaf.toString(),
                  new Path(target, rel).toString(),
                  new Path(new Path(trash, table), rel).toString()));
        }
      }
      case APPEND -> {
        for (Path file : dataFiles(fs, staged)) {
          String rel = relative(staged, file);
          moves.add(new Move(file.toString(), new Path(target, rel).toString(), null));
        }
      }
    }
    Journal journal = new Journal(id, table, moves);
    if (mode != Mode.REPLACE_TABLE && !fs.exists(target)) {
      fs.mkdirs(target);
    }
    run(fs, journal);
    return moves.size();
  }

  /**
   * Removes partitions of a table (each given relative to the table, e.g.
   * {@code visit=D8/sample_id=S1}) atomically per partition, through a journal.
   */
  public int deletePartitions(String table, List<String> partitions) throws IOException {
    if (partitions.isEmpty()) {
      return 0;
    }
    FileSystem fs = root.getFileSystem(conf);
    String id = newId();
    Path target = new Path(root, table);
    Path trash = new Path(new Path(new Path(root, TRASH), id), table);
    List<Move> moves = new ArrayList<>();
    for (String p : partitions) {
      moves.add(new Move(null, new Path(target, p).toString(), new Path(trash, p).toString()));
    }
    run(fs, new Journal(id, table, moves));
    return moves.size();
  }

  private void run(FileSystem fs, Journal journal) throws IOException {
    Path file = new Path(new Path(root, JOURNALS), journal.id() + ".json");
    fs.mkdirs(file.getParent());
    Path tmp = new Path(file.getParent(), "." + journal.id() + ".json.tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(JSON.writeValueAsBytes(journal));
    }
    if (!fs.rename(tmp, file)) {
      throw new IOException(
          "Cannot publish table "
              + journal.table()
              + ": journal "
              + tmp
              + " could not be renamed to "
              + file);
    }
    apply(fs, journal);
    finish(fs, journal, file);
  }

  /** Performs the moves of a journal; safe to repeat after a crash at any point. */
  private static void apply(FileSystem fs, Journal journal) throws IOException {
    for (Move m : journal.moves()) {
      Path to = new Path(m.to());
      Path from = m.from() == null ? null : new Path(m.from());
      if (from != null && !fs.exists(from)) {
        continue; // already moved
      }
      if (m.trash() != null && fs.exists(to)) {
        Path trash = new Path(m.trash());
        if (fs.exists(trash)) {
          fs.delete(trash, true); // a previous attempt's copy of the same directory
        }
        fs.mkdirs(trash.getParent());
        rename(fs, to, trash, journal);
      }
      if (from != null) {
        fs.mkdirs(to.getParent());
        rename(fs, from, to, journal);
      }
    }
  }

  private static void rename(FileSystem fs, Path from, Path to, Journal journal)
      throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException(
          "Cannot publish table "
              + journal.table()
              + " (journal "
              + journal.id()
              + "): rename of "
              + from
              + " to "
              + to
              + " failed");
    }
  }

  private void finish(FileSystem fs, Journal journal, Path file) throws IOException {
    fs.delete(new Path(new Path(root, TRASH), journal.id()), true);
    fs.delete(new Path(new Path(root, STAGING), journal.id()), true);
    fs.delete(file, false);
  }

  /**
   * Rolls forward every publication a dead process left unfinished and removes abandoned staging
   * directories (data staged by a run that died before its journal was written). Call it only
   * while holding the lake's lock (or when no other job writes to the lake).
   *
   * @return number of journals rolled forward
   */
  public int recover() throws IOException {
    FileSystem fs = root.getFileSystem(conf);
    Path dir = new Path(root, JOURNALS);
    int n = 0;
    if (fs.exists(dir)) {
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (name.startsWith(".")) {
          fs.delete(s.getPath(), false); // a journal never completed: nothing was moved
          continue;
        }
        Journal j;
        try (InputStream in = fs.open(s.getPath())) {
          j = JSON.readValue(in, Journal.class);
        }
        LOG.warn(
            "lake {}: rolling forward the unfinished publication {} of table {} ({} "
                + "moves) left by a run that stopped part-way",
            root,
            j.id(),
            j.table(),
            j.moves().size());
        apply(fs, j);
        finish(fs, j, s.getPath());
        n++;
      }
    }
    for (String d : List.of(STAGING, TRASH)) {
      Path p = new Path(root, d);
      if (fs.exists(p)) {
        for (FileStatus s : fs.listStatus(p)) {
          LOG.info("lake {}: removing abandoned {}", root, s.getPath());
          fs.delete(s.getPath(), true);
        }
      }
    }
    return n;
  }

  /** Directories exactly {@code depth} levels below {@code dir} whose names are key=value. */
  private static List<Path> leaves(FileSystem fs, Path dir, int depth) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isDirectory() || !s.getPath().getName().contains("=")) {
        continue;
      }
      if (depth == 1) {
        out.add(s.getPath());
      } else {
        out.addAll(leaves(fs, s.getPath(), depth - 1));
      }
    }
    out.sort(null);
    return out;
  }

  /** Data files under a directory (recursively), skipping _SUCCESS, .crc and hidden files. */
  private static List<Path> dataFiles(FileSystem fs, Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : FileWalk.files(fs, dir)) {
      Path p = s.getPath();
      String n = p.getName();
      if (!n.startsWith("_") && !n.startsWith(".")) {
        out.add(p);
      }
    }
    out.sort(null);
    return out;
  }

  private static String relative(Path base, Path child) {
    String b = base.toUri().getPath();
    String c = child.toUri().getPath();
    if (!c.startsWith(b + "/")) {
      throw new IllegalArgumentException(child + " is not under " + base);
    }
    return c.substring(b.length() + 1);
  }
}
