package io.seckill.infra;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that owns a stack, so tests can kill it: {@code main} starts a stack under the base
 * directory given as argument, prints {@code READY <stack dir> <redis pid> <postgres pid>} and
 * waits to be killed.
 */
final class StackInChildJvm implements AutoCloseable {

  final Process jvm;
  final Path stackDir;
  final long redisPid;
  final long postgresPid;

  private StackInChildJvm(Process jvm, Path stackDir, long redisPid, long postgresPid) {
    this.jvm = jvm;
    this.stackDir = stackDir;
    this.redisPid = redisPid;
    this.postgresPid = postgresPid;
  }

  public static void main(String[] args) throws Exception {
    DevStack stack = DevStack.start(DevStack.Options.defaults().withWorkDir(Path.of(args[0])));
    System.out.println(
        "READY " + stack.workDir() + " " + stack.redis().pid() + " " + stack.postgres().pid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  static StackInChildJvm launch(Path base, Path log) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process jvm =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    StackInChildJvm.class.getName(),
                    base.toString()))
            .redirectError(log.toFile())
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        String[] fields = line.split(" ");
        // keep draining stdout so the child never blocks on a full pipe
        Thread drain =
            new Thread(
                () -> {
                  try {
                    out.lines().forEach(ignored -> {});
                  } catch (UncheckedIOException closedByKill) {
                    // the child is gone
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return new StackInChildJvm(
            jvm, Path.of(fields[1]), Long.parseLong(fields[2]), Long.parseLong(fields[3]));
      }
    }
    throw new IllegalStateException(
        "child JVM ended without starting a stack:\n" + Files.readString(log));
  }

  boolean awaitExit(Duration timeout) throws InterruptedException {
    return jvm.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    jvm.destroyForcibly();
  }
}
