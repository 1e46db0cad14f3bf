package io.seckill.loadtest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * `java -jar seckill.jar up` as a child process on a free port, for the smoke test. close() sends
 * SIGTERM (the launcher stops its services and embedded servers in its shutdown hook) and only
 * then, if it hangs, kills the process and what it started (PostgreSQL runs as child processes).
 */
public final class SeckillProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final Thread reaper;

  private SeckillProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    // If the test JVM is stopped (Ctrl-C, failsafe timeout), the system must not outlive it.
    this.reaper = new Thread(this::stop, "seckill-smoke-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  public static SeckillProcess start(Path jar, Path log, Duration readyTimeout) throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " is missing: build it with `mvn -B -DskipTests -pl launcher -am package`");
    }
    int port = freePort();
    Files.createDirectories(log.getParent());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xms256m",
                    "-Xmx1g",
                    "-XX:+UseParallelGC",
                    "-jar",
                    jar.toString(),
                    "up",
                    "--verbose")) // the services' logs into this log too
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("SECKILL_HTTP_PORT", Integer.toString(port));
    // The smoke's system is reachable from this machine only.
    pb.environment().putIfAbsent("SECKILL_HTTP_HOST", "127.0.0.1");
    Process p = pb.start();
    SeckillProcess sp = new SeckillProcess(p, port, log);
    try {
      sp.awaitReady(readyTimeout);
    } catch (Exception e) {
      sp.close();
      throw e;
    }
    return sp;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public Path log() {
    return log;
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "seckill up exited with " + process.exitValue() + "; see " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "seckill up was not ready within " + timeout.toSeconds() + " s; see " + log);
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  private synchronized void stop() {
    if (!process.isAlive()) return;
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        children = process.descendants().toList();
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Anything the launcher started and did not stop (it should have): by handle, never by name.
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path path(String property, String fallback) {
    return new File(System.getProperty(property, fallback)).toPath().toAbsolutePath();
  }
}
