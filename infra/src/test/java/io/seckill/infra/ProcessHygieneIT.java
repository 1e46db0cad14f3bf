package io.seckill.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Servers of ours never outlive their stack, however its JVM ends. */
class ProcessHygieneIT {

  @TempDir Path base;

  @Test
  void closeStopsEveryServerProcessAndDeletesTheStackDirectory() throws Exception {
    long began = System.nanoTime();
    DevStack stack;
    List<String> infoLines;
    try (LogCapture log = LogCapture.root()) {
      stack = DevStack.start(DevStack.Options.defaults().withWorkDir(base));
      infoLines = log.messagesAtLevel("INFO");
    }
    // reported, not asserted: on a 2-core machine shared with other builds, wall time says little
    System.out.printf("dev stack started in %d ms%n", (System.nanoTime() - began) / 1_000_000);
    assertThat(infoLines)
        .as("INFO lines while the stack started")
        .hasSize(3)
        .anyMatch(line -> line.startsWith("kafka started: 127.0.0.1:"))
        .anyMatch(line -> line.startsWith("redis started: 127.0.0.1:"))
        .anyMatch(line -> line.startsWith("postgres started: 127.0.0.1:"));
    Path dir = stack.workDir();
    List<Long> pids = new ArrayList<>(List.of(stack.redis().pid(), stack.postgres().pid()));
    pids.addAll(childrenOf(stack.postgres().pid()));
    assertThat(pids).hasSizeGreaterThan(3).allMatch(ProcFs::isRunning);
    assertThat(Files.readString(dir.resolve(StackDir.CHILDREN)))
        .contains("redis " + stack.redis().pid() + " ")
        .contains("postgres " + stack.postgres().pid() + " ");

    stack.close();
    stack.close();

    assertThat(pids).noneMatch(ProcFs::isRunning);
    assertThat(dir).doesNotExist();
  }

  @Test
  void sigtermOfTheOwningJvmStopsEveryServerAndDeletesTheStackDirectory() throws Exception {
    try (StackInChildJvm child = StackInChildJvm.launch(base, base.resolve("child.log"))) {
      assertThat(ProcFs.isRunning(child.redisPid)).isTrue();
      assertThat(ProcFs.isRunning(child.postgresPid)).isTrue();

      child.jvm.destroy();

      assertThat(child.awaitExit(Duration.ofSeconds(30))).isTrue();
      assertThat(ProcFs.isRunning(child.redisPid)).isFalse();
      assertThat(ProcFs.isRunning(child.postgresPid)).isFalse();
      assertThat(child.stackDir).doesNotExist();
    }
  }

  @Test
  void afterKillMinus9TheServersDieAndTheNextStackRemovesTheLeftovers() throws Exception {
    try (StackInChildJvm child = StackInChildJvm.launch(base, base.resolve("child.log"))) {
      List<Long> postgresChildren = childrenOf(child.postgresPid);

      child.jvm.destroyForcibly();
      assertThat(child.awaitExit(Duration.ofSeconds(10))).isTrue();

      // the parent-death signal: no need to wait for the next stack
      assertThat(Await.until(Duration.ofSeconds(15), () -> !ProcFs.isRunning(child.redisPid)))
          .isTrue();
      assertThat(Await.until(Duration.ofSeconds(15), () -> !ProcFs.isRunning(child.postgresPid)))
          .isTrue();
      assertThat(
              Await.until(
                  Duration.ofSeconds(15),
                  () -> postgresChildren.stream().noneMatch(ProcFs::isRunning)))
          .isTrue();
      assertThat(child.stackDir).exists();

      try (DevStack next = DevStack.start(DevStack.Options.defaults().withWorkDir(base))) {
        assertThat(child.stackDir).doesNotExist();
        assertThat(next.workDir()).exists();
      }
    }
  }

  @Test
  void orphanCleanupKillsOnlyRecordedServersOfDeadOwners() throws Exception {
    Path redis = RedisBinary.path();
    Process orphanRedis =
        new ProcessBuilder(
                redis.toString(),
                "--port",
                Integer.toString(Ports.free()),
                "--bind",
                "127.0.0.1",
                "--save",
                "")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Process notOurs = new ProcessBuilder("sleep", "300").start();
    Process liveOwnersRedis =
        new ProcessBuilder(
                redis.toString(),
                "--port",
                Integer.toString(Ports.free()),
                "--bind",
                "127.0.0.1",
                "--save",
                "")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      long self = ProcFs.selfPid();
      // our own pid with another start time: a dead JVM whose pid has since been reused
      Path dead =
          marker(
              "%d-1-1".formatted(self),
              "redis "
                  + orphanRedis.pid()
                  + " "
                  + ticks(orphanRedis)
                  + "\n"
                  + "postgres "
                  + notOurs.pid()
                  + " "
                  + ticks(notOurs)
                  + "\n"
                  + "postgres 999999999 1\n");
      Path alive =
          marker(
              "%d-%d-99".formatted(self, ProcFs.startTicks(self).getAsLong()),
              "redis " + liveOwnersRedis.pid() + " " + ticks(liveOwnersRedis) + "\n");
      Path unrelated = Files.createDirectory(base.resolve("not-a-stack"));

      List<Path> removed = OrphanReaper.reap(base);

      assertThat(removed).containsExactly(dead);
      assertThat(dead).doesNotExist();
      assertThat(Await.until(Duration.ofSeconds(5), () -> !orphanRedis.isAlive())).isTrue();
      assertThat(notOurs.isAlive())
          .as("a recorded pid that is not redis or postgres is left alone")
          .isTrue();
      assertThat(alive).exists();
      assertThat(liveOwnersRedis.isAlive()).isTrue();
      assertThat(unrelated).exists();
    } finally {
      orphanRedis.destroyForcibly();
      notOurs.destroyForcibly();
      liveOwnersRedis.destroyForcibly();
    }
  }

  private Path marker(String name, String children) throws IOException {
    Path dir = Files.createDirectory(base.resolve(name));
    Files.writeString(dir.resolve(StackDir.CHILDREN), children);
    return dir;
  }

  private static long ticks(Process process) throws InterruptedException {
    // the process may still be the forked JVM helper for a moment; its start time is the same
    Await.until(Duration.ofSeconds(5), () -> ProcFs.startTicks(process.pid()).isPresent());
    return ProcFs.startTicks(process.pid()).getAsLong();
  }

  private static List<Long> childrenOf(long parent) throws IOException {
    List<Long> children = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.toList()) {
        String name = proc.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(proc.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          if (Long.parseLong(fields[1]) == parent) {
            children.add(Long.parseLong(name));
          }
        } catch (IOException vanished) {
          // exited while we looked
        }
      }
    }
    return children;
  }
}
