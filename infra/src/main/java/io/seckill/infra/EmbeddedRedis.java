package io.seckill.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A real redis-server (the binary bundled by embedded-redis) on a fixed loopback port. */
public final class EmbeddedRedis {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

  private final StackDir stackDir;
  private final Path dataDir;
  private final int port;
  private final boolean appendOnly;
  private final String name;
  private ChildProcess process;

  EmbeddedRedis(StackDir stackDir, int port, boolean appendOnly) {
    this(stackDir, port, appendOnly, "redis");
  }

  /**
   * @param name its data directory inside the stack's, and its entry in the stack's list of child
   *     processes
   */
  EmbeddedRedis(StackDir stackDir, int port, boolean appendOnly, String name) {
    this.stackDir = stackDir;
    this.dataDir = stackDir.subdir(name);
    this.port = port;
    this.appendOnly = appendOnly;
    this.name = name;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  public boolean appendOnly() {
    return appendOnly;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Pid of the redis-server process, or -1 while stopped. */
  public synchronized long pid() {
    return isRunning() ? process.pid() : -1;
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts on the same port and data directory as before; with append-only on, the data survives.
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    long began = System.nanoTime();
    process =
        ChildProcess.start("redis-server", command(), dataDir.resolve("redis.log"), "KILL", false);
    stackDir.recordChild(name, process);
    awaitReady();
    LOG.info(
        "redis started: {}:{} (append-only {}) in {} ms",
        HOST,
        port,
        appendOnly ? "on" : "off",
        (System.nanoTime() - began) / 1_000_000);
  }

  /**
   * Starts on the same port and data directory with the debugging setting {@code key-load-delay}
   * (microseconds per key loaded from an RDB file or an AOF's RDB preamble) and returns as soon as
   * it accepts connections: until its data is in, it answers {@code -LOADING}, as a production
   * Redis does while it replays a large file. For tests of clients.
   */
  public synchronized void startLoadingSlowly(int keyLoadDelayMicros) {
    if (isRunning()) {
      throw new IllegalStateException("redis on port " + port + " is running");
    }
    List<String> command = command();
    command.addAll(List.of("--key-load-delay", Integer.toString(keyLoadDelayMicros)));
    process =
        ChildProcess.start("redis-server", command, dataDir.resolve("redis.log"), "KILL", false);
    stackDir.recordChild(name, process);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!listens()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server does not listen:\n" + process.logTail());
      }
      sleep(10);
    }
  }

  /** SIGTERM is redis' graceful shutdown: it flushes the append-only file before exiting. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.terminate();
    if (!process.awaitExit(Duration.ofSeconds(10))) {
      LOG.warn("redis on port {} ignored SIGTERM for 10 s, killing it", port);
      process.kill();
    }
    stackDir.forgetChild(name);
    process = null;
    LOG.debug("redis stopped: {}:{}", HOST, port);
  }

  private List<String> command() {
    List<String> command =
        new ArrayList<>(
            List.of(
                RedisBinary.path().toString(),
                "--bind",
                HOST,
                "--port",
                Integer.toString(port),
                "--dir",
                dataDir.toString(),
                "--daemonize",
                "no",
                "--protected-mode",
                "no",
                "--loglevel",
                "warning",
                "--save",
                "",
                "--appendonly",
                appendOnly ? "yes" : "no"));
    if (appendOnly) {
      command.addAll(List.of("--appendfsync", "everysec"));
    }
    return command;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited during startup:\n" + process.logTail());
      }
      if (pings()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        process.kill();
        throw new IllegalStateException(
            "redis-server not ready after " + READY_TIMEOUT + ":\n" + process.logTail());
      }
      sleep(20);
    }
  }

  private boolean listens() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An inline PING, the one command that needs no RESP framing. */
  private boolean pings() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 500);
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
