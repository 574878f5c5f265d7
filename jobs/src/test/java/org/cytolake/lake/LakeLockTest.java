package org.cytolake.lake;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's lock: one run at a time, the holder named, taken over from a dead or stale holder. */
class LakeLockTest {
  @TempDir Path lake;
  final Configuration conf = new Configuration();

  @Test
  void theLockAdmitsOneRunNamesTheHolderAndIsTakenOverFromADeadProcess() throws IOException {
    try (LakeLock held = LakeLock.acquire(lake.toString(), conf, "run-1", Duration.ofMinutes(30))) {
      LakeLock.LockedException e =
          assertThrows(
              LakeLock.LockedException.class,
              () -> LakeLock.acquire(lake.toString(), conf, "run-2", Duration.ofMinutes(30)));
      assertTrue(e.getMessage().contains("locked by run run-1"), e.getMessage());
      assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
    }
    assertFalse(Files.exists(lake.resolve(LakeLock.FILE)));
    // A lock left by a process of this host that no longer exists.
    long dead = deadPid();
    Files.writeString(
        lake.resolve(LakeLock.FILE),
        "{\"run_id\":\"killed\",\"host\":\""
            + java.net.InetAddress.getLocalHost().getHostName()
            + "\",\"pid\":"
            + dead
            + ",\"started_at\":\"2026-01-01T00:00:00Z\"}");
    try (LakeLock taken =
        LakeLock.acquire(lake.toString(), conf, "run-3", Duration.ofMinutes(30))) {
      assertTrue(Files.readString(lake.resolve(LakeLock.FILE)).contains("run-3"));
    }
    // A lock of another host, untouched for longer than the stale time.
    Files.writeString(
        lake.resolve(LakeLock.FILE),
        "{\"run_id\":\"elsewhere\",\"host\":\"other-host\",\"pid\":1}");
    assertThrows(
        LakeLock.LockedException.class,
        () -> LakeLock.acquire(lake.toString(), conf, "run-4", Duration.ofMinutes(30)));
    assertTrue(
        lake.resolve(LakeLock.FILE)
            .toFile()
            .setLastModified(System.currentTimeMillis() - Duration.ofMinutes(31).toMillis()));
    try (LakeLock taken =
        LakeLock.acquire(lake.toString(), conf, "run-5", Duration.ofMinutes(30))) {
      assertTrue(Files.readString(lake.resolve(LakeLock.FILE)).contains("run-5"));
    }
  }

  static long deadPid() throws IOException {
    Process p = new ProcessBuilder("true").start();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return p.pid();
  }
}
