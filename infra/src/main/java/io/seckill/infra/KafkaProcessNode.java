package io.seckill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * One KRaft server as an operating-system process of its own: {@code java -cp <this JVM's
 * classpath> kafka.Kafka <node>.properties}, the way {@code kafka-server-start.sh} runs it, so a
 * test can SIGKILL a broker and see what a real crash does (no controlled shutdown, no flush, log
 * recovery at restart).
 *
 * <p>Like every server of the stack it runs under a parent-death signal and is listed in the
 * stack's children file (see {@link ChildProcess}, {@link OrphanReaper}), so it never outlives its
 * JVM. A restart reuses the node's properties file, so its ports and log directory stay the same.
 */
final class KafkaProcessNode implements KafkaNode {

  static final String MAIN_CLASS = "kafka.Kafka";

  /*
   * Four of these share a 2-core machine with the services under test. A small heap is enough (a broker
   * keeps its log in the page cache, not the heap); the serial collector and C1 only spare the cores.
   */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "-Xms64m",
          "-Xmx256m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-XX:+ExitOnOutOfMemoryError",
          "-Djava.awt.headless=true",
          // the classpath is the test's or the launcher's: its own logback.xml would log the broker
          // at DEBUG
          "-Dlogback.configurationFile=io/seckill/infra/logback-kafka-process.xml");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /**
   * A broker's controlled shutdown waits for the controller to move its leaderships; this bounds
   * it.
   */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final int CONNECT_TIMEOUT_MS = 500;
  private static final long POLL_MS = 50;

  private final StackDir stackDir;
  private final String name;
  private final int nodeId;
  private final Map<String, String> settings;
  private final Path logDir;
  private final int listenerPort;
  private final Path propertiesFile;
  private final Path outputFile;
  private ChildProcess process;

  /**
   * @param name the process's name in logs and in the stack's children file, e.g. {@code
   *     kafka-broker-1}
   * @param listenerPort the port it listens on first (broker or controller listener), to tell it
   *     has come up
   */
  KafkaProcessNode(
      StackDir stackDir,
      String name,
      int nodeId,
      Map<String, String> settings,
      Path logDir,
      int listenerPort) {
    this.stackDir = stackDir;
    this.name = name;
    this.nodeId = nodeId;
    this.settings = Map.copyOf(settings);
    this.logDir = logDir;
    this.listenerPort = listenerPort;
    // beside the log directory, not in it: the broker takes every directory there for a partition
    this.propertiesFile = logDir.resolveSibling(name + ".properties");
    this.outputFile = logDir.resolveSibling(name + ".log");
  }

  @Override
  public int nodeId() {
    return nodeId;
  }

  @Override
  public void format(String clusterId) {
    KafkaStorage.format(nodeId, settings, logDir, clusterId);
    writeProperties();
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The server's stdout and stderr, across restarts. */
  Path outputFile() {
    return outputFile;
  }

  /** Pid of the server process, or -1 while it is not running. */
  synchronized long pid() {
    return isRunning() ? process.pid() : -1;
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    process = ChildProcess.start(name, command(), outputFile, "KILL", false);
    stackDir.recordChild(name, process);
    awaitListening();
  }

  /** SIGTERM: Kafka's shutdown hook runs the controlled shutdown. SIGKILL if it takes too long. */
  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.terminate();
    if (!process.awaitExit(STOP_TIMEOUT)) {
      process.kill();
    }
    forget();
  }

  /**
   * SIGKILL: the process ends at once, as in a crash; its partitions stay led by it until the
   * controller fences it.
   */
  synchronized void kill() {
    if (process == null) {
      return;
    }
    process.kill();
    forget();
  }

  private void forget() {
    stackDir.forgetChild(name);
    process = null;
  }

  private List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), MAIN_CLASS, propertiesFile.toString()));
    return command;
  }

  private void writeProperties() {
    Properties properties = new Properties();
    properties.putAll(new TreeMap<>(settings));
    try (Writer out = Files.newBufferedWriter(propertiesFile)) {
      properties.store(out, name + ", written by the seckill dev stack");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + propertiesFile, e);
    }
  }

  /** Up once it accepts connections; joining the cluster is checked by {@link EmbeddedKafka}. */
  private void awaitListening() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!accepts()) {
      if (!process.isAlive()) {
        String tail = process.logTail();
        forget();
        throw new IllegalStateException(name + " exited during startup:\n" + tail);
      }
      if (System.nanoTime() > deadline) {
        String tail = process.logTail();
        process.kill();
        forget();
        throw new IllegalStateException(
            name
                + " not listening on port "
                + listenerPort
                + " after "
                + START_TIMEOUT
                + ":\n"
                + tail);
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + name + " started", e);
      }
    }
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(KafkaNodeConfig.HOST, listenerPort), CONNECT_TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
