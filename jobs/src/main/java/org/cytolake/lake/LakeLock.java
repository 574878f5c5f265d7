package org.cytolake.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per lake: {@code <lake>/_lock} is created exclusively (create without overwrite,
 * atomic on HDFS and local file systems) and holds who took it (run id, host, process id, time).
 * While held, a daemon thread touches it every {@code heartbeat}; a lock whose holder is gone is
 * taken over with a warning: on the same host when its process no longer exists, on any host
 * when it has not been touched for {@code staleAfter} (a driver killed with {@code kill -9}
 * leaves its lock behind; the next run must be able to go on).
 */
public final class LakeLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LakeLock.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String FILE = "_lock";

  private final FileSystem fs;
  private final Path path;
  private final ScheduledExecutorService heartbeat;

  private LakeLock(FileSystem fs, Path path, ScheduledExecutorService heartbeat) {
    this.fs = fs;
    this.path = path;
    this.heartbeat = heartbeat;
  }

  /** Thrown when another live run holds the lock. */
  public static final class LockedException extends IOException {
    public LockedException(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of a lake or fails with {@link LockedException} naming the holder.
   *
   * @param staleAfter a lock not touched for this long is considered abandoned
   */
  public static LakeLock acquire(
      String lakeRoot, Configuration conf, String runId, Duration staleAfter) throws IOException {
    Path path = new Path(new Path(lakeRoot), FILE);
    FileSystem fs = path.getFileSystem(conf);
    fs.mkdirs(path.getParent());
    Map<String, Object> me = new LinkedHashMap<>();
    me.put("run_id", runId);
    me.put("host", host());
    me.put("pid", ProcessHandle.current().pid());
    me.put("started_at", Instant.now().toString());
    for (int attempt = 0; attempt < 2; attempt++) {
      try (OutputStream out = fs.create(path, false)) {
        out.write(JSON.writeValueAsBytes(me));
        Duration beat =
            staleAfter.dividedBy(4).isZero() ? Duration.ofSeconds(1) : staleAfter.dividedBy(4);
        ScheduledExecutorService hb =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "cytolake-lake-lock-heartbeat");
                  t.setDaemon(true);
                  return t;
                });
        hb.scheduleAtFixedRate(
            () -> {
              try {
                fs.setTimes(path, System.currentTimeMillis(), -1);
              } catch (IOException | RuntimeException e) {
                LOG.warn("lake lock {}: heartbeat failed: {}", path, e.toString());
              }
            },
            beat.toMillis(),
            beat.toMillis(),
            TimeUnit.MILLISECONDS);
        LOG.info("lake lock {} taken by run {}", path, runId);
        return new LakeLock(fs, path, hb);
      } catch (FileAlreadyExistsException e) {
        // fall through: look at the holder
      } catch (IOException e) {
        if (!fs.exists(path)) {
          throw e;
        }
      }
      Map<?, ?> holder = readHolder(fs, path);
      String why = abandoned(fs, path, holder, staleAfter);
      if (why == null) {
        throw new LockedException(
            "Cannot start: lake "
                + lakeRoot
                + " is locked by run "
                + holder.get("run_id")
                + " (host "
                + holder.get("host")
                + ", pid "
                + holder.get("pid")
                + ", since "
                + holder.get("started_at")
                + "). Another run is "
                + "in progress; wait for it, or if it is dead remove "
                + path);
      }
      LOG.warn("lake lock {}: taking over from run {} ({})", path, holder.get("run_id"), why);
      fs.delete(path, false);
    }
    throw new LockedException(
        "Cannot start: lost the race for the lock " + path + " to another run");
  }

  private static Map<?, ?> readHolder(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return JSON.readValue(in, Map.class);
    } catch (IOException | RuntimeException e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("run_id", "(unreadable lock: " + e.getMessage() + ")");
      return m;
    }
  }

  /** Why the holder is gone, or null when it may be alive. */
  private static String abandoned(FileSystem fs, Path path, Map<?, ?> holder, Duration staleAfter)
      throws IOException {
    Object pid = holder.get("pid");
    if (host().equals(holder.get("host"))
        && pid instanceof Number n
        && ProcessHandle.of(n.longValue()).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + n + " on this host no longer exists";
    }
    FileStatus s = fs.getFileStatus(path);
    long age = System.currentTimeMillis() - s.getModificationTime();
    if (age > staleAfter.toMillis()) {
      return "not touched for " + Duration.ofMillis(age).toSeconds() + " s";
    }
    return null;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    fs.delete(path, false);
    LOG.info("lake lock {} released", path);
  }
}
