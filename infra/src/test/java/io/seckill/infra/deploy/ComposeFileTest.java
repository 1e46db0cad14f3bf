package io.seckill.infra.deploy;

import static io.seckill.infra.deploy.DeployFiles.COMPOSE;
import static io.seckill.infra.deploy.DeployFiles.COMPOSE_DIR;
import static io.seckill.infra.deploy.DeployFiles.list;
import static io.seckill.infra.deploy.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's structure and invariants, read as compose reads the file (anchors and merge
 * keys resolved), with the Kafka brokers' settings checked by Kafka itself. `docker-compose config`
 * runs in {@link DeployToolsTest}.
 */
class ComposeFileTest {
  private static Map<String, Object> services;

  @BeforeAll
  static void read() {
    services = map(DeployFiles.yamlMap(COMPOSE).get("services"), "services");
  }

  // ---- Kafka
  // ---------------------------------------------------------------------------------------------------------

  @Test
  void threeKraftBrokersWithSafeReplicationThatKafkaAccepts() {
    Map<String, Map<String, String>> brokers = servicesWithImage("apache/kafka:");
    assertThat(brokers.keySet()).containsExactlyInAnyOrder("kafka-1", "kafka-2", "kafka-3");
    Set<String> nodeIds = new TreeSet<>();
    Set<String> clusterIds = new HashSet<>();
    for (var e : brokers.entrySet()) {
      String name = e.getKey();
      Map<String, String> env = e.getValue();
      Properties p = KafkaImageConfig.serverProperties(env);
      KafkaImageConfig.assertSafeReplication(p, name);
      KafkaImageConfig.validate(p, name);
      nodeIds.add(p.getProperty("node.id"));
      clusterIds.add(env.get("CLUSTER_ID"));
      assertThat(p.getProperty("advertised.listeners"))
          .as(name)
          .isEqualTo("PLAINTEXT://" + name + ":9092");
      assertThat(volumeTargets(name))
          .as(name + " keeps its log dir on a volume")
          .contains(p.getProperty("log.dirs"));
      assertThat(healthcheck(name)).as(name).isNotEmpty();
    }
    assertThat(clusterIds).as("one cluster id").hasSize(1);
    // The quorum: one voter per broker, by its node id and its compose service name.
    String voters =
        KafkaImageConfig.serverProperties(brokers.get("kafka-1"))
            .getProperty("controller.quorum.voters");
    Set<String> expected = new TreeSet<>();
    for (var e : brokers.entrySet()) {
      expected.add(
          KafkaImageConfig.serverProperties(e.getValue()).getProperty("node.id")
              + "@"
              + e.getKey()
              + ":9093");
    }
    assertThat(new TreeSet<>(List.of(voters.split(",")))).isEqualTo(expected);
    assertThat(nodeIds).hasSize(3);
  }

  @Test
  void kafkasOwnValidationCatchesABrokenBrokerConfig() {
    Map<String, String> env =
        new LinkedHashMap<>(servicesWithImage("apache/kafka:").get("kafka-1"));
    env.remove("KAFKA_CONTROLLER_LISTENER_NAMES");
    assertThatThrownBy(
            () -> KafkaImageConfig.validate(KafkaImageConfig.serverProperties(env), "broken"))
        .hasMessageContaining("Kafka rejects");
    Map<String, String> env2 =
        new LinkedHashMap<>(servicesWithImage("apache/kafka:").get("kafka-1"));
    env2.put("KAFKA_ADVERTISED_LISTENERS", "NOPE://kafka-1:9092");
    assertThatThrownBy(
            () -> KafkaImageConfig.validate(KafkaImageConfig.serverProperties(env2), "broken"))
        .hasMessageContaining("Kafka rejects");
    assertThat(KafkaImageConfig.propertyName("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR"))
        .isEqualTo("transaction.state.log.min.isr");
    assertThat(KafkaImageConfig.propertyName("KAFKA_FOO__BAR___BAZ")).isEqualTo("foo_bar-baz");
  }

  // ---- Redis, PostgreSQL
  // ---------------------------------------------------------------------------------------------

  @Test
  void redisHasAppendOnlyFileFsyncedAndNoEviction() {
    Map<String, Object> redis = service("redis");
    assertThat(String.valueOf(redis.get("image"))).startsWith("redis:");
    List<String> cmd =
        list(redis.get("command"), "redis command").stream().map(String::valueOf).toList();
    assertThat(cmd.get(0)).isEqualTo("redis-server");
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i < cmd.size(); i += 2) opts.put(cmd.get(i), cmd.get(i + 1));
    assertThat(opts)
        .containsEntry("--appendonly", "yes")
        .containsEntry("--appendfsync", "always")
        .containsEntry("--maxmemory-policy", "noeviction")
        .containsKey("--maxmemory");
    assertThat(volumeTargets("redis")).contains("/data");
    long maxmemory = bytes(opts.get("--maxmemory"));
    Map<String, Object> limits =
        map(
            map(map(redis.get("deploy"), "deploy").get("resources"), "resources").get("limits"),
            "limits");
    assertThat(2 * maxmemory)
        .as("maxmemory at most half the memory limit (AOF rewrite forks)")
        .isLessThanOrEqualTo(bytes(String.valueOf(limits.get("memory"))));
  }

  private static long bytes(String size) {
    Matcher m = Pattern.compile("(?i)(\\d+)\\s*([kmg])b?").matcher(size.trim());
    assertThat(m.matches()).as(size).isTrue();
    int shift =
        switch (m.group(2).toLowerCase()) {
          case "k" -> 10;
          case "m" -> 20;
          default -> 30;
        };
    return Long.parseLong(m.group(1)) << shift;
  }

  @Test
  void postgresKeepsItsDataAndItsPasswordIsNotInTheFile() {
    Map<String, Object> pg = service("postgres");
    assertThat(String.valueOf(pg.get("image"))).startsWith("postgres:");
    assertThat(volumeTargets("postgres")).contains("/var/lib/postgresql/data");
    assertThat(env("postgres").get("POSTGRES_PASSWORD")).startsWith("${POSTGRES_PASSWORD:?");
  }

  // ---- Seckill's services
  // --------------------------------------------------------------------------------------------

  @Test
  void twoGatewaysTwoWorkersOneDelayServiceAllFromTheDistributionImage() {
    Map<String, List<String>> byCommand = new LinkedHashMap<>();
    for (String name : services.keySet()) {
      Map<String, Object> s = service(name);
      if (!String.valueOf(s.get("image")).startsWith("seckill:")) continue;
      Map<String, Object> build = map(s.get("build"), name + " build");
      assertThat(
              COMPOSE_DIR
                  .resolve(String.valueOf(build.get("context")))
                  .resolve(String.valueOf(build.get("dockerfile")))
                  .normalize())
          .as(name + " builds from infra/deploy/Dockerfile")
          .isEqualTo(DeployFiles.DOCKERFILE);
      List<Object> command = list(s.get("command"), name + " command");
      assertThat(command).as(name).hasSize(1);
      byCommand.computeIfAbsent(String.valueOf(command.get(0)), k -> new ArrayList<>()).add(name);
    }
    assertThat(byCommand.keySet()).containsExactlyInAnyOrderElementsOf(DeployFiles.SERVICES);
    assertThat(byCommand.get("gateway")).containsExactlyInAnyOrder("gateway-1", "gateway-2");
    assertThat(byCommand.get("order-worker")).hasSize(2);
    assertThat(byCommand.get("delay-service")).hasSize(1);
  }

  @Test
  void everySeckillServiceUsesTheClusterWithProductionTopicSettings() {
    Set<String> kafkaServices = servicesWithImage("apache/kafka:").keySet();
    for (String name : services.keySet()) {
      if (!String.valueOf(service(name).get("image")).startsWith("seckill:")) continue;
      Map<String, String> env = env(name);
      assertThat(env)
          .as(name)
          .containsEntry("SECKILL_REPLICATION_FACTOR", "3")
          .containsEntry("SECKILL_MIN_INSYNC_REPLICAS", "2");
      Set<String> bootstrap = new TreeSet<>(List.of(env.get("SECKILL_KAFKA_BOOTSTRAP").split(",")));
      Set<String> expected = new TreeSet<>();
      kafkaServices.forEach(k -> expected.add(k + ":9092"));
      assertThat(bootstrap)
          .as(name + " bootstrap = every broker's advertised listener")
          .isEqualTo(expected);
      assertThat(env.get("SECKILL_REDIS_URI")).as(name).isEqualTo("redis://redis:6379");
      assertThat(env.get("SECKILL_PG_URI")).as(name).endsWith("@postgres:5432/seckill");
      if (List.of("gateway").equals(list(service(name).get("command"), name + " command"))) {
        assertThat(env.get("SECKILL_JWT_SECRET"))
            .as(name + ": no secret in the file")
            .startsWith("${SECKILL_JWT_SECRET:?")
            .contains("32");
      } else {
        assertThat(env)
            .as(name + " verifies no token: it does not get the secret")
            .doesNotContainKey("SECKILL_JWT_SECRET");
      }
      Map<String, Object> deps = map(service(name).get("depends_on"), name + " depends_on");
      for (String dep : List.of("kafka-1", "kafka-2", "kafka-3", "redis", "postgres")) {
        assertThat(map(deps.get(dep), name + " -> " + dep))
            .containsEntry("condition", "service_healthy");
      }
      assertThat(map(service(name).get("deploy"), name).get("resources"))
          .as(name + " resources")
          .isNotNull();
      assertThat(String.valueOf(service(name).get("stop_grace_period")))
          .as(name + " graceful shutdown time")
          .isNotEqualTo("null");
    }
    for (String gw : List.of("gateway-1", "gateway-2")) {
      assertThat(String.join(" ", healthcheck(gw)))
          .contains("/dev/tcp/127.0.0.1/8080")
          .contains("GET /health/ready");
    }
  }

  @Test
  void theEnvExampleSaysWhatTheTokenSecretMustBe() {
    String example = DeployFiles.read(DeployFiles.COMPOSE_DIR.resolve("env.example"));
    assertThat(example)
        .containsPattern("(?m)^SECKILL_JWT_SECRET=$")
        .contains("at least 32 random bytes")
        .contains("openssl rand -base64 48");
  }

  // ---- load balancer, Prometheus, Grafana
  // ----------------------------------------------------------------------------

  @Test
  void haproxyBalancesBothGatewaysOnTheirReadinessCheck() {
    Map<String, Object> lb = service("lb");
    assertThat(String.valueOf(lb.get("image"))).startsWith("haproxy:");
    Path cfg = bindSource("lb", "/usr/local/etc/haproxy/haproxy.cfg");
    String text = DeployFiles.read(cfg);
    List<String> backends = new ArrayList<>();
    Matcher b = Pattern.compile("(?m)^backend\\s+(\\S+)").matcher(text);
    while (b.find()) backends.add(b.group(1));
    assertThat(backends).isNotEmpty();
    for (String backend : backends) {
      Matcher start =
          Pattern.compile("(?m)^backend\\s+" + Pattern.quote(backend) + "\\s*$").matcher(text);
      assertThat(start.find()).isTrue();
      String section = text.substring(start.start());
      Matcher next =
          Pattern.compile("(?m)^(backend|frontend|defaults|global|resolvers|listen)\\b")
              .matcher(section);
      if (next.find(1)) section = section.substring(0, next.start());
      assertThat(section)
          .as(backend)
          .contains("option httpchk GET /health/ready")
          .contains("http-check expect status 200");
      Set<String> servers = new TreeSet<>();
      Matcher s =
          Pattern.compile("(?m)^\\s+server\\s+\\S+\\s+(\\S+):(\\d+)\\s+check").matcher(section);
      while (s.find()) {
        assertThat(s.group(2)).as(backend + " server port").isEqualTo("8080");
        servers.add(s.group(1));
      }
      assertThat(servers).as(backend + " servers").containsExactly("gateway-1", "gateway-2");
    }
    // A gateway that received SIGTERM stays up, answering 503 on /health/ready, until HAProxy has
    // seen it fail.
    Matcher check =
        Pattern.compile("(?m)^\\s*default-server\\s+inter\\s+(\\d+)s\\s+fall\\s+(\\d+)")
            .matcher(text);
    assertThat(check.find()).as("default-server inter Ns fall N").isTrue();
    long detectMs = 1000L * Integer.parseInt(check.group(1)) * Integer.parseInt(check.group(2));
    for (String gw : List.of("gateway-1", "gateway-2")) {
      long notReadyMs =
          Long.parseLong(
              env(gw)
                  .getOrDefault(
                      "SECKILL_SHUTDOWN_GRACE_MS",
                      DeployFiles.settings().get("SECKILL_SHUTDOWN_GRACE_MS")));
      assertThat(notReadyMs)
          .as(gw + " SECKILL_SHUTDOWN_GRACE_MS >= HAProxy's detection time")
          .isGreaterThan(detectMs);
      long deliveryMs =
          Long.parseLong(
              env(gw)
                  .getOrDefault(
                      "SECKILL_KAFKA_DELIVERY_TIMEOUT_MS",
                      DeployFiles.settings().get("SECKILL_KAFKA_DELIVERY_TIMEOUT_MS")));
      String stop = String.valueOf(service(gw).get("stop_grace_period"));
      assertThat(stop).matches("\\d+s");
      assertThat(1000L * Long.parseLong(stop.replace("s", "")))
          .as(gw + " stop_grace_period covers drain + in-flight purchases")
          .isGreaterThan(notReadyMs + deliveryMs);
    }
    // POSTs are never re-sent by the balancer: only connection failures are retried.
    String directives = text.replaceAll("(?m)^\\s*#.*$", "");
    assertThat(directives).doesNotContain("retry-on").doesNotContain("non_idempotent");
  }

  @Test
  void prometheusScrapesEveryGatewayAndLoadsItsAlerts() {
    Path cfg = bindSource("prometheus", "/etc/prometheus/prometheus.yml");
    Map<String, Object> prom = DeployFiles.yamlMap(cfg);
    List<Object> jobs = list(prom.get("scrape_configs"), "scrape_configs");
    Map<String, Object> job = map(jobs.get(0), "job");
    assertThat(job.get("metrics_path")).isEqualTo("/metrics");
    List<Object> targets =
        list(
            map(list(job.get("static_configs"), "static_configs").get(0), "static").get("targets"),
            "targets");
    assertThat(targets).containsExactlyInAnyOrder("gateway-1:8080", "gateway-2:8080");
    for (Object rules : list(prom.get("rule_files"), "rule_files")) {
      Path local = cfg.getParent().resolve(String.valueOf(rules));
      assertThat(local).exists();
      assertThat(bindSource("prometheus", "/etc/prometheus/" + rules)).isEqualTo(local.normalize());
    }
  }

  @Test
  void grafanaIsProvisionedWithThePrometheusDatasourceAndTheDashboard() throws Exception {
    Path provisioning = bindSource("grafana", "/etc/grafana/provisioning");
    Map<String, Object> ds =
        map(
            list(
                    DeployFiles.yamlMap(provisioning.resolve("datasources/prometheus.yaml"))
                        .get("datasources"),
                    "ds")
                .get(0),
            "ds");
    assertThat(ds.get("url")).isEqualTo("http://prometheus:9090");
    assertThat(services).containsKey("prometheus");
    Map<String, Object> provider =
        map(
            list(
                    DeployFiles.yamlMap(provisioning.resolve("dashboards/seckill.yaml"))
                        .get("providers"),
                    "providers")
                .get(0),
            "provider");
    String dashboardsPath = String.valueOf(map(provider.get("options"), "options").get("path"));
    Path dashboards = bindSource("grafana", dashboardsPath);
    List<Path> jsons;
    try (var s = Files.list(dashboards)) {
      jsons = s.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(jsons).isNotEmpty();
    for (Path json : jsons) {
      JsonNode d = new ObjectMapper().readTree(json.toFile());
      assertThat(d.path("uid").asText()).isNotBlank();
      int queries = 0;
      for (JsonNode panel : d.path("panels")) {
        if (panel.path("type").asText().equals("row")) continue;
        assertThat(panel.path("datasource").path("uid").asText())
            .as(panel.path("title").asText())
            .isEqualTo(ds.get("uid"));
        assertThat(panel.path("targets").size()).as(panel.path("title").asText()).isPositive();
        for (JsonNode t : panel.path("targets")) {
          assertThat(t.path("expr").asText()).isNotBlank();
          queries++;
        }
      }
      assertThat(queries).isGreaterThan(5);
    }
  }

  @Test
  void everyBindMountedFileExists() {
    for (String name : services.keySet()) {
      Object vols = service(name).get("volumes");
      if (vols == null) continue;
      for (Object v : list(vols, name + " volumes")) {
        String src = String.valueOf(v).split(":")[0];
        if (src.startsWith(".") || src.startsWith("/")) {
          assertThat(COMPOSE_DIR.resolve(src).normalize()).as(name + " mounts " + src).exists();
        } else {
          assertThat(map(DeployFiles.yamlMap(COMPOSE).get("volumes"), "volumes"))
              .as(name + " named volume")
              .containsKey(src);
        }
      }
    }
  }

  // ---- helpers
  // -------------------------------------------------------------------------------------------------------

  private static Map<String, Object> service(String name) {
    assertThat(services).containsKey(name);
    return map(services.get(name), name);
  }

  private static Map<String, String> env(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    map(service(name).get("environment"), name + " environment")
        .forEach(
            (k, v) -> {
              assertThat(v)
                  .as(name + " " + k + ": compose wants strings (quote numbers and booleans)")
                  .isInstanceOf(String.class);
              out.put(k, (String) v);
            });
    return out;
  }

  private static Map<String, Map<String, String>> servicesWithImage(String prefix) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String name : services.keySet()) {
      if (String.valueOf(service(name).get("image")).startsWith(prefix)) out.put(name, env(name));
    }
    return out;
  }

  private static List<String> volumeTargets(String name) {
    List<String> out = new ArrayList<>();
    for (Object v : list(service(name).get("volumes"), name + " volumes"))
      out.add(String.valueOf(v).split(":")[1]);
    return out;
  }

  private static Path bindSource(String service, String target) {
    for (Object v : list(service(service).get("volumes"), service + " volumes")) {
      String[] parts = String.valueOf(v).split(":");
      if (parts[1].equals(target)) return COMPOSE_DIR.resolve(parts[0]).normalize();
    }
    throw new AssertionError(service + " mounts nothing at " + target);
  }

  private static List<String> healthcheck(String name) {
    Map<String, Object> hc = map(service(name).get("healthcheck"), name + " healthcheck");
    return list(hc.get("test"), name + " healthcheck test").stream().map(String::valueOf).toList();
  }
}
