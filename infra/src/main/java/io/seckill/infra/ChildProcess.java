package io.seckill.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A server process of ours, started so that it cannot outlive the JVM by much.
 *
 * <p>Each command is wrapped, when the tools exist, as {@code setpriv --pdeathsig SIG -- setsid --
 * [unshare --user --] cmd}; every wrapper execs the next, so the pid we hold is the server's own:
 *
 * <ul>
 *   <li>setpriv's parent-death signal makes the kernel signal the server when the JVM dies, even by
 *       kill -9;
 *   <li>setsid takes it out of the terminal's process group, so Ctrl-C reaches only the JVM, whose
 *       shutdown hook then stops the servers in order;
 *   <li>unshare --user runs it in a fresh user namespace where we are not uid 0 (postgres refuses
 *       root).
 * </ul>
 */
final class ChildProcess {

  /*
   * The parent-death signal fires when the *thread* that forked the child ends, not the process. All
   * forks therefore happen on this one daemon thread, which lives exactly as long as the JVM.
   */
  private static final ExecutorService SPAWNER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "seckill-infra-spawner");
            thread.setDaemon(true);
            return thread;
          });

  private static final String SETPRIV = onPath("setpriv");
  private static final String SETSID = onPath("setsid");
  private static final String UNSHARE = onPath("unshare");
  private static final boolean ROOT = ProcFs.isRoot();

  private final String name;
  private final Process process;
  private final long startTicks;
  private final Path log;

  private ChildProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.startTicks = ProcFs.startTicks(process.pid()).orElse(-1);
  }

  /** Starts a long-running server; its stdout and stderr go to {@code log}. */
  static ChildProcess start(
      String name, List<String> command, Path log, String deathSignal, boolean notAsRoot) {
    List<String> full = new ArrayList<>();
    if (SETPRIV != null) {
      full.addAll(List.of(SETPRIV, "--pdeathsig", deathSignal, "--"));
    }
    if (SETSID != null) {
      full.addAll(List.of(SETSID, "--"));
    }
    full.addAll(notAsRoot ? asNonRoot(command) : command);
    return new ChildProcess(name, fork(full, log), log);
  }

  /** Runs a short tool to completion, e.g. initdb; fails with its output if it fails. */
  static void run(
      String name, List<String> command, Path log, boolean notAsRoot, Duration timeout) {
    List<String> full = notAsRoot ? asNonRoot(command) : command;
    if (SETPRIV != null) {
      full = new ArrayList<>(full);
      full.addAll(0, List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
    }
    Process process = fork(full, log);
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not finish in " + timeout + "\n" + tail(log));
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            name + " failed with exit code " + process.exitValue() + "\n" + tail(log));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    }
  }

  /** Sends a signal by name (INT, QUIT, ...): Process.destroy only knows TERM and KILL. */
  static void signal(long pid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  long startTicks() {
    return startTicks;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void signal(String signal) {
    if (process.isAlive()) {
      signal(process.pid(), signal);
    }
  }

  void terminate() {
    process.destroy();
  }

  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(5));
  }

  String logTail() {
    return tail(log);
  }

  private static List<String> asNonRoot(List<String> command) {
    if (!ROOT) {
      return command;
    }
    if (UNSHARE == null) {
      throw new IllegalStateException(
          "running as root needs 'unshare' (util-linux) to start " + command.get(0));
    }
    List<String> full = new ArrayList<>(List.of(UNSHARE, "--user", "--"));
    full.addAll(command);
    return full;
  }

  private static Process fork(List<String> command, Path log) {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    try {
      return SPAWNER.submit(builder::start).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot start " + command, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + command, e);
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private static String onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }
}
