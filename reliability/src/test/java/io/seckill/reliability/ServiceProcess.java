package io.seckill.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Seckill service as its own JVM ({@code java -cp ... io.seckill.launcher.Seckill
 * gateway|order-worker|delay-service}), configured only by SECKILL_* env vars, as in production.
 * Signals are real: SIGKILL, SIGTERM, SIGSTOP, SIGCONT.
 */
final class ServiceProcess {
  private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);

  /**
   * All forks on one daemon thread that lives as long as this JVM: the kernel's parent-death signal
   * (setpriv --pdeathsig) fires when the forking thread ends, and it must fire only when the test
   * JVM dies, even by kill -9.
   */
  private static final ExecutorService SPAWNER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "reliability-spawner");
            t.setDaemon(true);
            return t;
          });

  private static final String SETPRIV =
      Stream.of("/usr/bin/setpriv", "/bin/setpriv")
          .filter(f -> Files.isExecutable(Path.of(f)))
          .findFirst()
          .orElse(null);

  final String name;
  final String command;
  private final String classpath;
  private final Path logDir;
  private Map<String, String> env;
  private Process process;
  private int starts;

  ServiceProcess(
      String name, String command, String classpath, Map<String, String> env, Path logDir) {
    this.name = name;
    this.command = command;
    this.classpath = classpath;
    this.env = new HashMap<>(env);
    this.logDir = logDir;
  }

  /** Starts the JVM (does not wait for it to be ready). */
  synchronized void start() {
    if (isAlive()) throw new IllegalStateException(name + " is running");
    List<String> cmd = new ArrayList<>();
    if (SETPRIV != null) cmd.addAll(List.of(SETPRIV, "--pdeathsig", "KILL", "--"));
    cmd.addAll(
        List.of(
            javaBin(),
            "-Xms64m",
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            classpath,
            "io.seckill.launcher.Seckill",
            command));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("SECKILL_"));
    pb.environment().putAll(env);
    try {
      Files.writeString(
          logFile(),
          "---- start " + (++starts) + " " + Instant.now() + " env " + interesting() + "\n",
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      process = SPAWNER.submit(pb::start).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot start " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name, e);
    }
    log.info("{} started: pid {}", name, process.pid());
  }

  private String interesting() {
    StringBuilder b = new StringBuilder();
    env.forEach(
        (k, v) -> {
          if (k.startsWith("SECKILL_TEST") || k.equals("SECKILL_HTTP_PORT"))
            b.append(k).append('=').append(v).append(' ');
        });
    return b.toString();
  }

  Path logFile() {
    return logDir.resolve(name + ".log");
  }

  synchronized Map<String, String> env() {
    return env;
  }

  /** Env for the next start (the running process keeps its own). */
  synchronized void setEnv(Map<String, String> next) {
    this.env = new HashMap<>(next);
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** kill -9: no shutdown hook, no flush, no commit. */
  void kill9() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null) return;
    p.destroyForcibly();
    waitFor(p, 10);
    log.info("{} killed (SIGKILL), pid {}", name, p.pid());
  }

  /** SIGTERM: the graceful stop (finish in-flight work, commit, leave). */
  void terminate() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null || !p.isAlive()) return;
    p.destroy();
    if (!waitFor(p, 60)) {
      log.warn("{} ignored SIGTERM for 60 s, killing it", name);
      p.destroyForcibly();
      waitFor(p, 10);
    }
    log.info("{} stopped (SIGTERM), exit {}", name, p.exitValue());
  }

  void signal(String sig) {
    long pid = pid();
    signal(pid, sig);
    log.info("{} got SIG{}, pid {}", name, sig, pid);
  }

  /**
   * `kill -SIG pid`, for any process of the pipeline (a service, or a server of the dev stack such
   * as redis-server).
   */
  static void signal(long pid, String sig) {
    try {
      Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
      if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0)
        throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String logText() {
    try {
      return Files.exists(logFile()) ? Files.readString(logFile()) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static boolean waitFor(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
