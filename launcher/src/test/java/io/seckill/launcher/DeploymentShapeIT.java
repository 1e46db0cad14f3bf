package io.seckill.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.infra.DevStack;
import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Production shape (`seckill gateway`, a JVM of its own configured by env vars) against
 * `up`/`demo`'s development shape: only the latter may sign with the public secret and serve
 * /demo/token, which never hands out admin tokens.
 */
class DeploymentShapeIT {
  private static final String STRONG = "a-strong-secret-for-this-test-only-0123456789";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @ParameterizedTest(name = "secret: {0}")
  @ValueSource(strings = {"missing", "default", "empty", "twelve chars"})
  void theGatewayCommandRefusesToStartWithAWeakSecretAndNamesIt(String kind) throws Exception {
    Map<String, String> env = serverEnv("weak-secret");
    switch (kind) {
      case "missing" -> env.remove(Settings.JWT_SECRET.env());
      case "default" -> env.put(Settings.JWT_SECRET.env(), Settings.JWT_SECRET.defaultValue());
      case "empty" -> env.put(Settings.JWT_SECRET.env(), "");
      case "twelve chars" -> env.put(Settings.JWT_SECRET.env(), "abcdefghijkl");
      default -> throw new IllegalArgumentException(kind);
    }
    Path log = Files.createTempFile("seckill-gateway-", ".log");
    Process p = launch(env, log, "gateway");
    try {
      // The servers are real and reachable: only the secret can stop it, and it must do so at once.
      assertThat(p.waitFor(60, TimeUnit.SECONDS))
          .as("exited; output: " + Files.readString(log))
          .isTrue();
      String out = Files.readString(log);
      assertThat(p.exitValue()).as(out).isNotZero();
      assertThat(out).contains("SECKILL_JWT_SECRET");
      if (kind.equals("twelve chars"))
        assertThat(out).contains("12 bytes").doesNotContain("abcdefghijkl");
    } finally {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    }
  }

  @Test
  void theGatewayCommandWithAStrongSecretServesNoDemoRouteWhateverTheEnvironmentSays()
      throws Exception {
    Map<String, String> env = serverEnv("production-shape");
    env.put(Settings.JWT_SECRET.env(), STRONG);
    int port = freePort();
    env.put(Settings.HTTP_PORT.env(), Integer.toString(port));
    env.put("SECKILL_DEMO_TOKENS", "true"); // the switch of older versions: no longer read
    env.put(Settings.MANAGEMENT_PORT.env(), "0");
    Path log = Files.createTempFile("seckill-gateway-", ".log");
    Process p = launch(env, log, "gateway");
    try {
      String base = "http://127.0.0.1:" + port;
      awaitReady(p, base, log);
      assertThat(get(base + "/demo/token?user=alice", null).statusCode()).isEqualTo(404);
      assertThat(get(base + "/demo/token?admin=true", null).statusCode()).isEqualTo(404);
      // The strong secret is the one it verifies with.
      Vertx vertx = Vertx.vertx();
      try {
        assertThat(
                get(base + "/api/orders/4242", new Tokens(vertx, STRONG).user("alice", 60))
                    .statusCode())
            .isEqualTo(404);
        assertThat(
                get(
                        base + "/api/orders/4242",
                        new Tokens(vertx, Settings.JWT_SECRET.defaultValue()).admin("admin", 60))
                    .statusCode())
            .as("a token signed with the public default")
            .isEqualTo(401);
      } finally {
        vertx.close();
      }
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(log);
    }
    // Nor can it be switched on by a flag.
    Path flagLog = Files.createTempFile("seckill-gateway-", ".log");
    Process flagged = launch(env, flagLog, "gateway", "--demo-tokens", "true");
    try {
      assertThat(flagged.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(flagged.exitValue()).as(Files.readString(flagLog)).isNotZero();
      assertThat(Files.readString(flagLog)).contains("unknown option --demo-tokens");
    } finally {
      flagged.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      Files.deleteIfExists(flagLog);
    }
  }

  @Test
  void upServesBuyerTokensOnLoopbackOnlyAndNeverAnAdminToken() throws Exception {
    Env base = TestServers.env("development-shape");
    Env upEnv =
        UpCommand.stackEnv(
            base.with(Map.of(Settings.HTTP_HOST.env(), "")), DevStack.shared(), false);
    assertThat(upEnv.get(Settings.HTTP_HOST)).isEqualTo("127.0.0.1");
    PrintStream err = System.err;
    ByteArrayOutputStream warning = new ByteArrayOutputStream();
    System.setErr(new PrintStream(warning, true, StandardCharsets.UTF_8));
    try {
      assertThat(UpCommand.stackEnv(base, DevStack.shared(), true).get(Settings.HTTP_HOST))
          .as("--expose")
          .isEqualTo("0.0.0.0");
    } finally {
      System.setErr(err);
    }
    assertThat(warning.toString(StandardCharsets.UTF_8))
        .contains("WARNING: listening on 0.0.0.0")
        .contains("/demo/token");
    try (ServiceSet services =
        ServiceSet.start(upEnv, EnumSet.of(ServiceSet.Service.GATEWAY), true)) {
      String url = "http://127.0.0.1:" + services.gatewayPort();
      HttpResponse<String> admin = get(url + "/demo/token?admin=true", null);
      assertThat(admin.statusCode()).as(admin.body()).isEqualTo(403);
      assertThat(admin.headers().firstValue("content-type")).hasValue("application/problem+json");
      assertThat(admin.body()).doesNotContain("eyJ");

      HttpResponse<String> buyer = get(url + "/demo/token?user=alice", null);
      assertThat(buyer.statusCode()).isEqualTo(200);
      String token = new JsonObject(buyer.body()).getString("token");
      assertThat(get(url + "/api/orders/4242", token).statusCode())
          .as("a buyer token")
          .isEqualTo(404);
      assertThat(get(url + "/demo/token?user=al%00ice", null).statusCode())
          .as("a user id PostgreSQL cannot store")
          .isEqualTo(400);
      HttpResponse<String> create = post(url + "/admin/sales", token, "{}");
      assertThat(create.statusCode())
          .as("the buyer token is no admin token: " + create.body())
          .isEqualTo(403);

      // The dashboard URL that `up` prints carries a working admin token in its fragment.
      String dashboard =
          UpCommand.dashboardUrl(services.vertx(), upEnv, services.gatewayPort(), "");
      assertThat(dashboard).startsWith(url + "/dashboard#token=");
      String adminToken = dashboard.substring(dashboard.indexOf("#token=") + 7);
      assertThat(post(url + "/admin/sales", adminToken, "{}").statusCode())
          .as("admin token accepted, body refused")
          .isEqualTo(400);

      // Loopback only: this machine's other addresses do not reach it.
      for (InetAddress other : nonLoopbackAddresses()) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(other, services.gatewayPort()), 2000);
          throw new AssertionError("the gateway of `up` answers on " + other);
        } catch (IOException refused) {
          // expected
        }
      }
    }
  }

  private static Map<String, String> serverEnv(String name) {
    Env env = TestServers.env(name);
    Map<String, String> out = new HashMap<>();
    for (var s : Settings.all()) {
      if (env.isSet(s)) out.put(s.env(), env.get(s));
    }
    out.put(Settings.HTTP_PORT.env(), Integer.toString(freePort()));
    out.put(Settings.MANAGEMENT_PORT.env(), "0");
    return out;
  }

  private static Process launch(Map<String, String> env, Path log, String... args)
      throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "io.seckill.launcher.Seckill"));
    Collections.addAll(cmd, args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("SECKILL_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  private void awaitReady(Process p, String base, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive())
        throw new AssertionError(
            "the gateway exited " + p.exitValue() + ": " + Files.readString(log));
      try {
        if (get(base + "/health/ready", null).statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not ready in 120 s: " + Files.readString(log));
  }

  private HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) b.header("authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String url, String token, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) b.header("authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    List<InetAddress> out = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address) out.add(a);
      }
    }
    return out;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
