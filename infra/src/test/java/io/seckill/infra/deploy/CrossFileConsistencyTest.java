package io.seckill.infra.deploy;

import static io.seckill.infra.deploy.DeployFiles.ROOT;
import static io.seckill.infra.deploy.DeployFiles.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment files agree with the code they deploy: settings, ports, health and metrics paths,
 * service commands, the distribution's layout, the Kafka version and the metric names the dashboard
 * and alerts query.
 */
class CrossFileConsistencyTest {

  @Test
  void everySeckillVariableInTheDeploymentFilesIsARealSetting() {
    Set<String> settings = DeployFiles.settings().keySet();
    Map<String, Set<String>> unknown = new LinkedHashMap<>();
    for (Path p : DeployFiles.deployFiles()) {
      Set<String> used = DeployFiles.seckillVariables(read(p));
      used.removeAll(settings);
      if (!used.isEmpty()) unknown.put(ROOT.relativize(p).toString(), used);
    }
    assertThat(unknown)
        .as("SECKILL_* names in infra/deploy/ that platform's Settings.java does not declare")
        .isEmpty();
  }

  @Test
  void theReadmesSayTheTokenSecretMustBeSetWithAtLeast32Bytes() {
    String readme = read(ROOT.resolve("README.md"));
    Matcher row =
        Pattern.compile("(?m)^\\| `SECKILL_JWT_SECRET` \\|(?!\\s*`--).*$").matcher(readme);
    assertThat(row.find()).as("README's production table has a SECKILL_JWT_SECRET row").isTrue();
    assertThat(row.group()).contains("must be set").contains("32").contains("refuses");
    assertThat(readme).as("the demo-token switch is gone").doesNotContain("SECKILL_DEMO_TOKENS");
    String deploy = read(DeployFiles.DEPLOY.resolve("README.md"));
    assertThat(deploy)
        .contains("SECKILL_JWT_SECRET")
        .contains("at least 32 random bytes")
        .doesNotContain("SECKILL_DEMO_TOKENS");
  }

  @Test
  void theCheckAboveWouldSeeAMisspeltVariable() {
    assertThat(
            DeployFiles.seckillVariables(
                "env:\n  SECKILL_KAFKA_BOOTSTRAPS: x # SECKILL_HTTP_PORT, SECKILL_*"))
        .containsExactly("SECKILL_HTTP_PORT", "SECKILL_KAFKA_BOOTSTRAPS");
    assertThat(DeployFiles.settings())
        .containsKey("SECKILL_KAFKA_BOOTSTRAP")
        .doesNotContainKey("SECKILL_KAFKA_BOOTSTRAPS");
  }

  @Test
  void portsAndPathsMatchTheGateway() {
    String port = DeployFiles.settings().get("SECKILL_HTTP_PORT");
    assertThat(port).isEqualTo("8080");
    String health =
        read(ROOT.resolve("gateway/src/main/java/io/seckill/gateway/http/HealthRoutes.java"));
    assertThat(health)
        .contains("router.get(\"/health/live\")")
        .contains("router.get(\"/health/ready\")");
    assertThat(read(ROOT.resolve("launcher/src/main/java/io/seckill/launcher/ServiceSet.java")))
        .contains("router.get(\"/metrics\")");

    assertThat(read(DeployFiles.DOCKERFILE)).containsPattern("(?m)^EXPOSE " + port + "$");
    String compose = read(DeployFiles.COMPOSE);
    assertThat(compose)
        .contains("SECKILL_HTTP_PORT: \"" + port + "\"")
        .contains("/dev/tcp/127.0.0.1/" + port);
    String gatewayYaml = read(DeployFiles.K8S.resolve("gateway.yaml"));
    assertThat(gatewayYaml)
        .contains("containerPort: " + port)
        .contains("prometheus.io/port: \"" + port + "\"")
        .contains("path: /health/ready")
        .contains("path: /health/live")
        .contains("prometheus.io/path: /metrics");
    assertThat(read(DeployFiles.K8S.resolve("config.yaml")))
        .contains("SECKILL_HTTP_PORT: \"" + port + "\"");
    assertThat(read(DeployFiles.COMPOSE_DIR.resolve("haproxy.cfg")))
        .contains("gateway-1:" + port)
        .contains("GET /health/ready");
    assertThat(read(DeployFiles.COMPOSE_DIR.resolve("prometheus.yml")))
        .contains("gateway-1:" + port)
        .contains("metrics_path: /metrics");
  }

  @Test
  void theServiceCommandsExistInTheLauncher() {
    String launcher =
        read(ROOT.resolve("launcher/src/main/java/io/seckill/launcher/GatewayCommand.java"));
    for (String service : DeployFiles.SERVICES) {
      assertThat(launcher)
          .as("launcher command " + service)
          .containsPattern("@Command\\(\\s*name = \"" + service + "\"");
    }
  }

  @Test
  void theImageIsBuiltFromTheMavenDistribution() {
    String dockerfile = read(DeployFiles.DOCKERFILE);
    String launcherPom = read(ROOT.resolve("launcher/pom.xml"));
    String rootPom = read(ROOT.resolve("pom.xml"));
    // The distribution: launcher/target/seckill.jar whose manifest puts lib/*.jar (a sibling
    // folder) on the classpath.
    assertThat(launcherPom)
        .contains("<finalName>seckill</finalName>")
        .contains("<classpathPrefix>lib/</classpathPrefix>")
        .contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
    assertThat(dockerfile)
        .containsPattern("(?m)^COPY launcher/target/lib/ /app/lib/$")
        .containsPattern("(?m)^COPY launcher/target/seckill.jar /app/seckill.jar$")
        .containsPattern("(?m)^ENTRYPOINT \\[\"java\", \"-jar\", \"/app/seckill.jar\"]$")
        .containsPattern("(?m)^CMD \\[\"gateway\"]$")
        .containsPattern("(?m)^STOPSIGNAL SIGTERM$");
    // Java release of the build = Java of the image.
    Matcher release =
        Pattern.compile("<maven.compiler.release>(\\d+)</maven.compiler.release>").matcher(rootPom);
    assertThat(release.find()).isTrue();
    assertThat(dockerfile)
        .containsPattern("(?m)^FROM eclipse-temurin:" + release.group(1) + "-jre");
    // The image's user is the uid the Kubernetes manifests require.
    Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
    assertThat(user.find()).isTrue();
    assertThat(Integer.parseInt(user.group(1))).isPositive();
    for (String f : List.of("gateway.yaml", "order-worker.yaml", "delay-service.yaml")) {
      assertThat(read(DeployFiles.K8S.resolve(f))).as(f).contains("runAsUser: " + user.group(1));
    }
    // The build context sends the distribution and nothing else.
    String ignore = read(DeployFiles.DEPLOY.resolve("Dockerfile.dockerignore"));
    assertThat(ignore)
        .containsPattern("(?m)^\\*$")
        .contains("!launcher/target/seckill.jar")
        .contains("!launcher/target/lib/");
  }

  @Test
  void theKafkaImageIsTheKafkaVersionTheProjectBuildsAndTestsWith() {
    Matcher v =
        Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
            .matcher(read(ROOT.resolve("pom.xml")));
    assertThat(v.find()).isTrue();
    String image = "image: apache/kafka:" + v.group(1);
    assertThat(read(DeployFiles.COMPOSE)).contains(image);
    assertThat(read(DeployFiles.K8S.resolve("kafka.yaml"))).contains(image);
  }

  @Test
  void dashboardAndAlertsQueryMetricsTheServicesExport() throws IOException {
    List<String> exprs = new ArrayList<>();
    JsonNode dashboard =
        new ObjectMapper()
            .readTree(DeployFiles.COMPOSE_DIR.resolve("grafana/dashboards/seckill.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode t : panel.path("targets")) exprs.add(t.path("expr").asText());
    }
    Map<String, Object> alerts = DeployFiles.yamlMap(DeployFiles.COMPOSE_DIR.resolve("alerts.yml"));
    for (Object group : DeployFiles.list(alerts.get("groups"), "groups")) {
      for (Object rule : DeployFiles.list(DeployFiles.map(group, "group").get("rules"), "rules")) {
        exprs.add(String.valueOf(DeployFiles.map(rule, "rule").get("expr")));
      }
    }
    Set<String> names = new TreeSet<>();
    exprs.forEach(e -> names.addAll(DeployFiles.metricNames(e)));
    assertThat(names)
        .contains("seckill_admissions_total", "seckill_orders_lag", "seckill_audit_consistent");

    // A real scrape of /metrics (captured from `seckill up` into the test resources) has every
    // family...
    Set<String> scraped = new TreeSet<>();
    try (InputStream in = getClass().getResourceAsStream("metrics-scrape.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) continue;
        scraped.add(line.split("[{ ]", 2)[0]);
      }
    }
    scraped.add("up"); // Prometheus' own
    assertThat(scraped).as("metric names in the dashboard and alerts").containsAll(names);
    // ...and Seckill's own meters are still registered under those names in today's code.
    String sources = DeployFiles.mainSources();
    for (String name : names) {
      if (!name.startsWith("seckill_")) continue;
      String base = name.replaceAll("(_seconds)?(_total|_count|_sum|_max|_bucket)?$", "");
      assertThat(sources)
          .as("meter " + base + " (queried as " + name + ") in the services' code")
          .contains("\"" + base + "\"");
    }
  }
}
