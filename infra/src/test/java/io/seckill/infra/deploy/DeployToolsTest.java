package io.seckill.infra.deploy;

import static io.seckill.infra.deploy.DeployFiles.COMPOSE;
import static io.seckill.infra.deploy.DeployFiles.COMPOSE_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment files through the real tools that read them, without any daemon: `docker-compose
 * config` (Debian's docker-compose 1.29), `haproxy -c` and `promtool check config`.
 * infra/deploy/install-validators (run by .ci/run) provides them; in CI (CI=true) a missing tool
 * fails the test, elsewhere it is skipped with the install command.
 */
class DeployToolsTest {
  private static final Path TOOLS =
      Path.of(
          Optional.ofNullable(System.getenv("DEPLOY_TOOLS_DIR"))
              .orElse(System.getProperty("user.home") + "/.cache/seckill-tools"));

  @TempDir Path tmp;

  @Test
  void dockerComposeAcceptsTheFileAndResolvesIt() throws Exception {
    Path tool = tool("docker-compose");
    Path envFile =
        Files.writeString(
            tmp.resolve("env"), ""); // ignore any developer's .env beside compose.yaml
    Result r =
        run(
            List.of(
                tool.toString(),
                "--env-file",
                envFile.toString(),
                "-f",
                COMPOSE.toString(),
                "config"),
            Map.of(
                "SECKILL_JWT_SECRET",
                "test-secret-0123456789abcdef0123456789",
                "POSTGRES_PASSWORD",
                "pg-test",
                "GRAFANA_ADMIN_PASSWORD",
                "gf-test"));
    assertThat(r.exit).as(r.output).isZero();
    Map<String, Object> resolved =
        DeployFiles.map(DeployFiles.yamlDocuments(r.output).get(0), "config output");
    Map<String, Object> services = DeployFiles.map(resolved.get("services"), "services");
    assertThat(services.keySet())
        .contains(
            "kafka-1",
            "kafka-2",
            "kafka-3",
            "redis",
            "postgres",
            "gateway-1",
            "gateway-2",
            "order-worker-1",
            "order-worker-2",
            "delay-service",
            "lb",
            "prometheus",
            "grafana");
    Map<String, Object> gwEnv =
        DeployFiles.map(
            DeployFiles.map(services.get("gateway-2"), "gateway-2").get("environment"), "env");
    assertThat(gwEnv)
        .containsEntry("SECKILL_JWT_SECRET", "test-secret-0123456789abcdef0123456789")
        .containsEntry("SECKILL_PG_URI", "postgresql://seckill:pg-test@postgres:5432/seckill")
        .containsEntry("SECKILL_REPLICATION_FACTOR", "3");
    Map<String, Object> build =
        DeployFiles.map(
            DeployFiles.map(services.get("gateway-1"), "gateway-1").get("build"), "build");
    assertThat(Path.of(String.valueOf(build.get("context")))).isEqualTo(DeployFiles.ROOT);

    // Without its secrets the stack refuses to start rather than run with a default.
    Result missing =
        run(
            List.of(
                tool.toString(),
                "--env-file",
                envFile.toString(),
                "-f",
                COMPOSE.toString(),
                "config",
                "-q"),
            Map.of());
    assertThat(missing.exit).as(missing.output).isNotZero();
    assertThat(missing.output)
        .containsAnyOf("SECKILL_JWT_SECRET", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD");
  }

  @Test
  void haproxyAcceptsItsConfiguration() throws Exception {
    Result r =
        run(
            List.of(
                tool("haproxy").toString(),
                "-c",
                "-f",
                COMPOSE_DIR.resolve("haproxy.cfg").toString()),
            Map.of());
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output).contains("Configuration file is valid");
    // The only acceptable warnings: gateway names only Docker's DNS resolves.
    for (String line : r.output.split("\n")) {
      if (line.contains("[WARNING]"))
        assertThat(line).as(r.output).contains("could not resolve address 'gateway-");
      assertThat(line).as(r.output).doesNotContain("[ALERT]");
    }
  }

  @Test
  void prometheusAcceptsItsConfigurationAndAlertRules() throws Exception {
    Result r =
        run(
            List.of(
                tool("promtool").toString(),
                "check",
                "config",
                COMPOSE_DIR.resolve("prometheus.yml").toString()),
            Map.of());
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output).contains("SUCCESS").contains("rules found");
  }

  // ---- helpers
  // -------------------------------------------------------------------------------------------------------

  private record Result(int exit, String output) {}

  private Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).directory(tmp.toFile());
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("SECKILL_")
                    || k.startsWith("POSTGRES_")
                    || k.startsWith("GRAFANA_")
                    || k.startsWith("COMPOSE_")
                    || k.startsWith("DOCKER_"));
    pb.environment().putAll(env);
    Path out = tmp.resolve("out-" + System.nanoTime());
    pb.redirectOutput(out.toFile());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  static Path tool(String name) {
    List<Path> candidates = new ArrayList<>();
    candidates.add(TOOLS.resolve("bin").resolve(name));
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) candidates.add(Path.of(dir, name));
    }
    try (Stream<Path> s = candidates.stream()) {
      Optional<Path> found = s.filter(Files::isExecutable).findFirst();
      if (found.isPresent()) return found.get();
    }
    String how =
        name
            + " not found (looked in "
            + TOOLS.resolve("bin")
            + " and PATH): run `bash infra/deploy/install-validators`";
    if ("true".equalsIgnoreCase(System.getenv("CI")))
      throw new AssertionError(how + " (.ci/run does)");
    Assumptions.abort(how);
    return null;
  }
}
