package io.seckill.reliability;

import static io.seckill.platform.testing.Await.sleep;

import io.seckill.infra.DevStack;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.kafka.TopicSetup;
import io.seckill.platform.store.Migrations;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline in its production shape on one machine: a KRaft controller and 3 Kafka brokers (RF
 * 3, min.insync 2, unclean election off), Redis with its append-only file, PostgreSQL (the dev
 * stack: each server a child process of this JVM), and as separate JVMs 2 gateways, 2 order workers
 * and the delay service. One per test JVM; a scenario that breaks something puts it back ({@link
 * #heal()}) before the next one starts.
 */
final class Pipeline implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
  static final int GATEWAYS = 2;
  static final int WORKERS = 2;
  static final int SESSION_TIMEOUT_MS = 6_000;
  static final int MAX_POLL_INTERVAL_MS = 10_000;
  static final String WORKER_GROUP = "seckill-order-worker";
  static final String DELAY_GROUP = "seckill-delay-service";
  private static Pipeline shared;

  final DevStack stack;
  final Map<String, String> baseEnv;
  final Servers servers;
  final List<ServiceProcess> gateways = new ArrayList<>();
  final List<ServiceProcess> workers = new ArrayList<>();
  final ServiceProcess delay;
  final List<Integer> gatewayPorts = new ArrayList<>();
  final Vertx vertx = Vertx.vertx();
  final List<WebClient> http = new ArrayList<>();
  final Tokens tokens;
  final Admin admin;
  final Path out;
  private final HttpClient probeClient =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static synchronized Pipeline shared() {
    if (shared == null) {
      shared = new Pipeline();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "reliability-pipeline-stop"));
    }
    return shared;
  }

  private Pipeline() {
    long began = System.nanoTime();
    out = Path.of(System.getProperty("reliability.out", "target/reliability"));
    try {
      Files.createDirectories(out.resolve("logs"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    // each broker a process of its own, so the broker fault is a real SIGKILL of a kafka.Kafka JVM
    stack =
        DevStack.start(
            DevStack.Options.defaults()
                .withKafkaBrokers(3)
                .withKafkaProcesses(true)
                .withRedisAppendOnly(true));
    // the stack's own shutdown hook deletes its directory, and shutdown hooks run concurrently:
    // copy first
    stack.beforeClose(this::keepKafkaLogs);
    Map<String, String> env = new HashMap<>();
    env.put(Settings.KAFKA_BOOTSTRAP.env(), stack.kafkaBootstrap());
    env.put(Settings.REDIS_URI.env(), stack.redisUri());
    env.put(
        Settings.PG_URI.env(),
        "postgresql://"
            + stack.pgUser()
            + ":"
            + stack.pgPassword()
            + "@"
            + stack.pgHost()
            + ":"
            + stack.pgPort()
            + "/"
            + stack.pgDatabase());
    env.put(Settings.REPLICATION_FACTOR.env(), "3");
    env.put(Settings.MIN_INSYNC_REPLICAS.env(), "2");
    env.put(Settings.ORDERS_PARTITIONS.env(), "6");
    env.put(Settings.HTTP_HOST.env(), "127.0.0.1");
    // Production-shape gateways refuse the public default secret.
    env.put(Settings.JWT_SECRET.env(), "reliability-" + UUID.randomUUID() + UUID.randomUUID());
    env.put(Settings.HTTP_INSTANCES.env(), "1");
    // Several service processes share this host: each takes a free port for its /metrics and
    // /health.
    env.put(Settings.MANAGEMENT_PORT.env(), "0");
    env.put(Settings.SHUTDOWN_GRACE_MS.env(), "0");
    // The faults measure recovery times; a restarted gateway warming up for up to 30 s would be
    // counted in them.
    // WarmupIT covers warm-before-ready.
    env.put(Settings.WARMUP_SECONDS.env(), "0");
    // A reservation the broker never acknowledged is re-sent (or released) after 4 s, not 15.
    env.put(Settings.SWEEP_AFTER_MS.env(), "4000");
    env.put(Settings.SWEEP_INTERVAL_MS.env(), "1000");
    env.put(Settings.WORKER_SESSION_TIMEOUT_MS.env(), Integer.toString(SESSION_TIMEOUT_MS));
    env.put(Settings.WORKER_MAX_POLL_INTERVAL_MS.env(), Integer.toString(MAX_POLL_INTERVAL_MS));
    env.put(Settings.PG_POOL_SIZE.env(), "4");
    env.put(Settings.WORKER_GROUP.env(), WORKER_GROUP);
    env.put(Settings.DELAY_GROUP.env(), DELAY_GROUP);
    baseEnv = Map.copyOf(env);
    Env resolved = Env.system().with(baseEnv);
    servers = Servers.from(resolved);
    // Schema and topics once, before five processes race to create them.
    Migrations.apply(servers);
    TopicSetup.ensure(servers, DelayLevels.from(resolved));
    admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000));
    tokens = new Tokens(vertx, resolved.get(Settings.JWT_SECRET));

    String classpath = serviceClasspath();
    Path logs = out.resolve("logs");
    delay = new ServiceProcess("delay-service", "delay-service", classpath, baseEnv, logs);
    for (int i = 0; i < WORKERS; i++)
      workers.add(
          new ServiceProcess("order-worker-" + i, "order-worker", classpath, baseEnv, logs));
    for (int i = 0; i < GATEWAYS; i++) {
      int port = freePort();
      gatewayPorts.add(port);
      Map<String, String> g = new HashMap<>(baseEnv);
      g.put(Settings.HTTP_PORT.env(), Integer.toString(port));
      gateways.add(new ServiceProcess("gateway-" + i, "gateway", classpath, g, logs));
      http.add(
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setDefaultHost("127.0.0.1")
                  .setDefaultPort(port)
                  .setKeepAlive(true)
                  .setConnectTimeout(3000),
              new PoolOptions().setHttp1MaxSize(256)));
    }
    delay.start();
    workers.forEach(ServiceProcess::start);
    gateways.forEach(ServiceProcess::start);
    awaitReady(Duration.ofSeconds(180));
    log.info(
        "pipeline up in {} s: kafka {}, redis {}, gateways on {}",
        (System.nanoTime() - began) / 1_000_000_000,
        stack.kafkaBootstrap(),
        stack.redisUri(),
        gatewayPorts);
  }

  List<ServiceProcess> all() {
    List<ServiceProcess> all = new ArrayList<>(gateways);
    all.addAll(workers);
    all.add(delay);
    return all;
  }

  /**
   * Every gateway answers /health/ready 200, the worker group has all workers and the delay group
   * its member.
   */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String missing = notReady();
      if (missing == null) return;
      if (System.nanoTime() > deadline)
        throw new IllegalStateException("pipeline not ready after " + timeout + ": " + missing);
      sleep(250);
    }
  }

  private String notReady() {
    for (ServiceProcess p : all()) {
      if (!p.isAlive()) return p.name + " is not running; log tail:\n" + tail(p.logText());
    }
    for (int i = 0; i < GATEWAYS; i++) {
      if (readyStatus(i) != 200) return "gateway-" + i + " not ready";
    }
    if (members(WORKER_GROUP) < WORKERS)
      return "worker group has " + members(WORKER_GROUP) + " members";
    if (members(DELAY_GROUP) < 1) return "delay group has no member";
    return null;
  }

  int readyStatus(int gateway) {
    try {
      HttpResponse<String> r =
          probeClient.send(
              HttpRequest.newBuilder(URI.create(baseUrl(gateway) + "/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  int liveStatus(int gateway) {
    try {
      return probeClient
          .send(
              HttpRequest.newBuilder(URI.create(baseUrl(gateway) + "/health/live"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  String baseUrl(int gateway) {
    return "http://127.0.0.1:" + gatewayPorts.get(gateway);
  }

  /**
   * Stable members of a consumer group (a member stopped with SIGSTOP counts until the group evicts
   * it).
   */
  int members(String group) {
    try {
      Map<String, ConsumerGroupDescription> d =
          admin.describeConsumerGroups(Set.of(group)).all().get(10, TimeUnit.SECONDS);
      ConsumerGroupDescription g = d.get(group);
      if (g == null) return 0;
      String state = g.groupState().toString();
      if (!state.equalsIgnoreCase("Stable")) return 0;
      return g.members().size();
    } catch (Exception e) {
      return 0;
    }
  }

  /**
   * Puts back whatever a scenario broke: servers, then stopped or dead services; waits until all
   * serve.
   */
  void heal() {
    for (int i = 0; i < stack.kafka().brokerCount(); i++) {
      if (!stack.kafka().isBrokerRunning(i)) stack.kafka().startBroker(i);
    }
    if (!stack.redis().isRunning()) stack.redis().start();
    if (!stack.postgres().isRunning()) stack.postgres().start();
    for (ServiceProcess p : all()) {
      if (p.isAlive()) {
        try {
          p.signal("CONT");
        } catch (RuntimeException ignored) {
          // not stopped, or just gone
        }
      } else {
        p.start();
      }
    }
    awaitReady(Duration.ofSeconds(180));
  }

  @Override
  public synchronized void close() {
    for (ServiceProcess g : gateways) g.terminate();
    for (ServiceProcess w : workers) w.terminate();
    delay.terminate();
    admin.close(Duration.ofSeconds(2));
    vertx.close();
    stack.close();
  }

  /**
   * The Kafka servers' own logs, which would go with the stack's directory, beside the services'
   * logs.
   */
  private void keepKafkaLogs() {
    for (Path file : stack.kafka().serverLogs()) {
      try {
        Files.copy(
            file,
            out.resolve("logs").resolve(file.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        log.warn("cannot keep {}: {}", file, e.toString());
      }
    }
  }

  static String serviceClasspathForTools() {
    return serviceClasspath();
  }

  /**
   * The services run from this work tree's compiled classes: for Seckill's own modules,
   * target/classes rather than a jar from the local repository (which another build may replace
   * under a running JVM) or the launcher's packaged jar (whose manifest would load lib/ a second
   * time).
   */
  private static String serviceClasspath() {
    String file = System.getProperty("reliability.classpath.file", "target/service.classpath");
    Path root = Path.of(System.getProperty("reliability.root", "..")).toAbsolutePath().normalize();
    try {
      List<String> entries = new ArrayList<>();
      for (String e : Files.readString(Path.of(file)).trim().split(File.pathSeparator)) {
        String module = seckillModule(Path.of(e));
        Path classes = module == null ? null : root.resolve(module).resolve("target/classes");
        entries.add(classes != null && Files.isDirectory(classes) ? classes.toString() : e);
      }
      return String.join(File.pathSeparator, entries);
    } catch (IOException e) {
      throw new IllegalStateException(
          "no service classpath at "
              + file
              + " (run through maven: mvn -pl reliability -am verify)",
          e);
    }
  }

  /** The module name if this classpath entry is one of Seckill's own artifacts. */
  private static String seckillModule(Path entry) {
    String s = entry.toString().replace('\\', '/');
    int at = s.indexOf("/io/seckill/");
    if (at >= 0) return s.substring(at + "/io/seckill/".length()).split("/")[0];
    if (entry.getFileName().toString().equals("seckill.jar")) return "launcher";
    if (entry.getParent() != null && entry.getParent().getFileName().toString().equals("target")) {
      return entry.getParent().getParent().getFileName().toString();
    }
    return null;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String tail(String text) {
    String[] lines = text.split("\n");
    return String.join(
        "\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 30), lines.length));
  }
}
