package io.seckill.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Kafka, Redis and PostgreSQL servers on free loopback ports, in a directory of their own, for
 * development and tests.
 *
 * <p>Nothing outlives the stack: {@link #close()} (also run by a shutdown hook on Ctrl-C, SIGTERM
 * or the end of the JVM) stops every server and deletes the directory. If the JVM is killed
 * outright, the servers get a parent-death signal from the kernel, and the next stack to start
 * anywhere on the machine deletes the dead one's directory and kills whatever it recorded that
 * still runs (see {@link OrphanReaper}).
 */
public final class DevStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
  private static DevStack shared;
  private static final AtomicInteger SPARES = new AtomicInteger();

  /**
   * @param kafkaBrokers 1 (replication factor 1) or 3 (replication factor 3, min ISR 2)
   * @param kafkaProcesses whether each Kafka server runs as a process of its own (so a broker can
   *     be killed with SIGKILL) rather than inside this JVM
   * @param redisAppendOnly whether redis keeps an append-only file, so its data survives a restart
   * @param workDir base directory; each stack makes its own directory inside it
   */
  public record Options(
      int kafkaBrokers, boolean kafkaProcesses, boolean redisAppendOnly, Path workDir) {

    public Options {
      Objects.requireNonNull(workDir, "workDir");
      if (kafkaBrokers != 1 && kafkaBrokers != 3) {
        throw new IllegalArgumentException("kafkaBrokers must be 1 or 3, not " + kafkaBrokers);
      }
    }

    /**
     * One broker in this JVM, redis with its append-only file, under {@code
     * java.io.tmpdir/seckill-stacks}.
     */
    public static Options defaults() {
      return new Options(
          1, false, true, Path.of(System.getProperty("java.io.tmpdir"), "seckill-stacks"));
    }

    public Options withKafkaBrokers(int brokers) {
      return new Options(brokers, kafkaProcesses, redisAppendOnly, workDir);
    }

    public Options withKafkaProcesses(boolean processes) {
      return new Options(kafkaBrokers, processes, redisAppendOnly, workDir);
    }

    public Options withRedisAppendOnly(boolean appendOnly) {
      return new Options(kafkaBrokers, kafkaProcesses, appendOnly, workDir);
    }

    public Options withWorkDir(Path base) {
      return new Options(kafkaBrokers, kafkaProcesses, redisAppendOnly, base);
    }
  }

  private final Options options;
  private final StackDir dir;
  private final EmbeddedRedis redis;
  private final EmbeddedPostgres postgres;
  private final EmbeddedKafka kafka;
  private final Thread shutdownHook = new Thread(this::close, "seckill-devstack-shutdown");
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Runnable> beforeClose = new CopyOnWriteArrayList<>();

  private DevStack(Options options, StackDir dir, EmbeddedKafka kafka) {
    this.options = options;
    this.dir = dir;
    List<Integer> ports = Ports.free(2);
    this.redis = new EmbeddedRedis(dir, ports.get(0), options.redisAppendOnly());
    this.postgres = new EmbeddedPostgres(dir, ports.get(1), "seckill");
    this.kafka = kafka;
  }

  /** Starts every server and returns once all of them accept connections. */
  public static DevStack start(Options options) {
    long began = System.nanoTime();
    InfraLogging.quietServers();
    OrphanReaper.reap(options.workDir());
    StackDir dir = StackDir.create(options.workDir());
    EmbeddedKafka kafka;
    try {
      kafka = new EmbeddedKafka(dir, options.kafkaBrokers(), options.kafkaProcesses());
    } catch (RuntimeException e) {
      dir.delete();
      throw e;
    }
    DevStack stack = new DevStack(options, dir, kafka);
    Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
    try {
      CompletableFuture<Void> redisStarted =
          CompletableFuture.runAsync(stack.redis::start, DaemonThreads.executor());
      CompletableFuture<Void> postgresStarted =
          CompletableFuture.runAsync(stack.postgres::start, DaemonThreads.executor());
      kafka.start();
      redisStarted.join();
      postgresStarted.join();
    } catch (RuntimeException e) {
      stack.close();
      throw e instanceof CompletionException && e.getCause() instanceof RuntimeException cause
          ? cause
          : e;
    }
    LOG.debug("dev stack ready in {} ms: {}", (System.nanoTime() - began) / 1_000_000, dir.path());
    return stack;
  }

  /**
   * The stack of this JVM, for tests: started on first use with {@link Options#defaults()}, closed
   * when the JVM ends.
   */
  public static synchronized DevStack shared() {
    if (shared == null || shared.closed.get()) {
      shared = start(Options.defaults());
    }
    return shared;
  }

  public Options options() {
    return options;
  }

  /** This stack's own directory: server data, logs and the children file. */
  public Path workDir() {
    return dir.path();
  }

  public String kafkaBootstrap() {
    return kafka.bootstrapServers();
  }

  public String redisHost() {
    return redis.host();
  }

  public int redisPort() {
    return redis.port();
  }

  public String redisUri() {
    return redis.uri();
  }

  public String pgHost() {
    return postgres.host();
  }

  public int pgPort() {
    return postgres.port();
  }

  public String pgUser() {
    return postgres.user();
  }

  public String pgPassword() {
    return postgres.password();
  }

  public String pgDatabase() {
    return postgres.defaultDatabase();
  }

  public String jdbcUrl(String database) {
    return postgres.jdbcUrl(database);
  }

  public String createDatabase(String prefix) {
    return postgres.createDatabase(prefix);
  }

  public EmbeddedKafka kafka() {
    return kafka;
  }

  public EmbeddedRedis redis() {
    return redis;
  }

  public EmbeddedPostgres postgres() {
    return postgres;
  }

  /**
   * One more redis-server of this stack, started, for a test that stops, kills or reloads Redis
   * without disturbing the tests that share {@link #redis()}; it stops when the stack closes.
   */
  public EmbeddedRedis startSpareRedis() {
    EmbeddedRedis spare =
        new EmbeddedRedis(
            dir,
            Ports.free(1).get(0),
            options.redisAppendOnly(),
            "redis-spare-" + SPARES.incrementAndGet());
    beforeClose(spare::stop);
    spare.start();
    return spare;
  }

  /**
   * Runs this first when the stack closes, also from the shutdown hook: services using the servers
   * stop (and commit) before the servers go away. Hooks run in the reverse order of registration.
   */
  public void beforeClose(Runnable hook) {
    beforeClose.add(0, hook);
  }

  /** Stops every server and deletes the stack's directory; a second call does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or about to; this call does the work
      }
    }
    for (Runnable hook : beforeClose) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        LOG.warn("a service did not stop cleanly before the dev stack: {}", e.toString());
      }
    }
    CompletableFuture.allOf(
            stopQuietly("kafka", kafka::stop),
            stopQuietly("redis", redis::stop),
            stopQuietly("postgres", postgres::stop))
        .join();
    dir.delete();
    LOG.debug("dev stack stopped: {}", dir.path());
  }

  private static CompletableFuture<Void> stopQuietly(String name, Runnable stop) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            stop.run();
          } catch (RuntimeException e) {
            LOG.warn("stopping {} failed", name, e);
          }
        },
        DaemonThreads.executor());
  }
}
