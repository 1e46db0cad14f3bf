package io.seckill.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after stacks whose JVM died without running its shutdown hook (kill -9, OOM killer,
 * power cut).
 *
 * <p>Servers normally die with their JVM through the parent-death signal (see {@link
 * ChildProcess}); this is the second line: every new stack scans the base directory for stack
 * directories whose owner (pid + start time from the directory name) is gone, kills the processes
 * listed in their children file, and deletes them. A listed pid is only killed if it still is the
 * process that was recorded (same start time) and still looks like one of our servers (its command
 * line names redis-server, postgres or kafka.Kafka), so a reused pid is never hit.
 */
final class OrphanReaper {

  private static final Logger LOG = LoggerFactory.getLogger(OrphanReaper.class);
  private static final List<String> SERVER_NAMES =
      List.of("redis-server", "postgres", KafkaProcessNode.MAIN_CLASS);

  private OrphanReaper() {}

  /** Returns the directories removed. */
  static List<Path> reap(Path base) {
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(base)) {
      return removed;
    }
    List<Path> dirs;
    try (Stream<Path> list = Files.list(base)) {
      dirs = list.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      LOG.warn("cannot scan {} for leftovers of dead stacks: {}", base, e.toString());
      return removed;
    }
    for (Path dir : dirs) {
      long[] owner = StackDir.owner(dir);
      if (owner != null && !ProcFs.isRunning(owner[0], owner[1])) {
        List<String> killed = killChildren(dir);
        FileTrees.deleteQuietly(dir);
        removed.add(dir);
        LOG.warn(
            "removed the leftovers of a dead JVM (pid {}): {}{}",
            owner[0],
            dir,
            killed.isEmpty() ? "" : ", killed " + String.join(", ", killed));
      }
    }
    return removed;
  }

  private static List<String> killChildren(Path dir) {
    List<String> killed = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(dir.resolve(StackDir.CHILDREN));
    } catch (NoSuchFileException e) {
      return killed;
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}", dir.resolve(StackDir.CHILDREN), e.toString());
      return killed;
    }
    for (String line : lines) {
      String[] fields = line.trim().split(" ");
      if (fields.length != 3) {
        continue;
      }
      long pid = Long.parseLong(fields[1]);
      long ticks = Long.parseLong(fields[2]);
      if (ProcFs.isRunning(pid, ticks) && looksLikeOurServer(pid)) {
        kill(pid, ticks, fields[0]);
        killed.add(fields[0] + " " + pid);
      }
    }
    return killed;
  }

  static boolean looksLikeOurServer(long pid) {
    String cmdline = ProcFs.cmdline(pid);
    return SERVER_NAMES.stream().anyMatch(cmdline::contains);
  }

  /*
   * Postgres gets SIGQUIT first: its immediate shutdown still stops the backends and frees its System V
   * shared memory segment, which a bare SIGKILL would leak. Anything left is then killed outright.
   */
  private static void kill(long pid, long ticks, String kind) {
    if (kind.equals("postgres")) {
      ChildProcess.signal(pid, "QUIT");
      if (waitGone(pid, ticks, 3_000)) {
        return;
      }
    }
    ChildProcess.signal(pid, "KILL");
    waitGone(pid, ticks, 3_000);
  }

  private static boolean waitGone(long pid, long ticks, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    while (ProcFs.isRunning(pid, ticks)) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
