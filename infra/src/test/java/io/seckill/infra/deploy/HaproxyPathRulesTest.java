package io.seckill.infra.deploy;

import static io.seckill.infra.deploy.DeployFiles.COMPOSE_DIR;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
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
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * compose/haproxy.cfg's path rules, in a real HAProxy in front of a stand-in gateway that answers
 * everything: the per-IP purchase limit and the /metrics block cannot be walked around by a
 * trailing slash or another spelling of the path. The file is used as it is, but for its addresses
 * (no Docker DNS here).
 */
class HaproxyPathRulesTest {
  @TempDir Path tmp;

  private HttpServer gateway;
  private ExecutorService gatewayThreads;
  private final Queue<String> reached = new ConcurrentLinkedQueue<>();
  private Process haproxy;
  private Path haproxyLog;
  private int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @BeforeEach
  void start() throws Exception {
    Path tool = DeployToolsTest.tool("haproxy");
    gatewayThreads = Executors.newFixedThreadPool(8);
    gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    gateway.setExecutor(gatewayThreads);
    gateway.createContext(
        "/",
        ex -> {
          String path = ex.getRequestURI().getRawPath();
          if (!path.equals("/health/ready"))
            reached.add(ex.getRequestMethod() + " " + path); // HAProxy's own checks
          byte[] body = "{\"from\":\"gateway\"}".getBytes(StandardCharsets.UTF_8);
          ex.getRequestBody().readAllBytes();
          ex.getResponseHeaders().add("content-type", "application/json");
          ex.sendResponseHeaders(ex.getRequestMethod().equals("POST") ? 202 : 200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    gateway.start();
    port = freePort();
    String cfg =
        Files.readString(COMPOSE_DIR.resolve("haproxy.cfg"))
            .replaceAll("(?m)^resolvers docker\\n([ \\t]+.*\\n)*", "")
            .replace(" resolvers docker", "")
            .replace("bind :8080", "bind 127.0.0.1:" + port)
            .replaceAll("gateway-[12]:8080", "127.0.0.1:" + gateway.getAddress().getPort())
            .replace("maxconn 60000", "maxconn 1000");
    assertThat(cfg).doesNotContain("resolvers").contains("bind 127.0.0.1:" + port);
    Path file = Files.writeString(tmp.resolve("haproxy.cfg"), cfg);
    haproxyLog = tmp.resolve("haproxy.log");
    haproxy =
        new ProcessBuilder(tool.toString(), "-db", "-f", file.toString())
            .redirectErrorStream(true)
            .redirectOutput(haproxyLog.toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      assertThat(haproxy.isAlive()).as(Files.readString(haproxyLog)).isTrue();
      try (Socket s = new Socket("127.0.0.1", port)) {
        break;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline)
          throw new AssertionError("haproxy did not listen: " + Files.readString(haproxyLog));
        Thread.sleep(100);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (haproxy != null) {
      haproxy.destroy();
      if (!haproxy.waitFor(10, TimeUnit.SECONDS))
        haproxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (gateway != null) gateway.stop(0);
    if (gatewayThreads != null) gatewayThreads.shutdownNow();
  }

  @Test
  void metricsIsNotPublishedUnderAnySpelling() throws Exception {
    assertThat(get("/api/sales/7").statusCode()).as("an ordinary path goes through").isEqualTo(200);
    for (String path : List.of("/metrics", "/metrics/", "/metrics/x")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(404);
    }
    for (String path :
        List.of(
            "//metrics", "/metrics//", "/./metrics", "/x/../metrics", "/%6Detrics", "/metric%73")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(r.headers().firstValue("content-type"))
          .as(path)
          .hasValue("application/problem+json");
    }
    assertThat(reached).as("what reached the gateway").containsExactly("GET /api/sales/7");
  }

  @Test
  void aTrailingSlashIsCutBeforeTheRulesAndTheGatewaySeesTheCanonicalPath() throws Exception {
    assertThat(post("/api/sales/7/purchases/").statusCode()).isEqualTo(202);
    assertThat(get("/api/orders/9/").statusCode()).isEqualTo(200);
    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(reached)
        .containsExactly("POST /api/sales/7/purchases", "GET /api/orders/9", "GET /");
  }

  @Test
  void thePerAddressPurchaseLimitCountsPurchasesWithATrailingSlash() throws Exception {
    // 200 purchases/s per address: 500 sent at once, all spelled with a trailing slash, must meet
    // the balancer's 429.
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sent.add(
          http.sendAsync(
              request("/api/sales/7/purchases/")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    long limited = 0;
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
      if (r.statusCode() == 429) {
        limited++;
        assertThat(r.body()).contains("rate-limited");
      } else {
        assertThat(r.statusCode()).isEqualTo(202);
      }
    }
    assertThat(limited).as("429s among 500 purchases spelled /purchases/").isGreaterThan(0);
    assertThat(reached)
        .as("what reached the gateway")
        .hasSize(500 - (int) limited)
        .allMatch(r -> r.equals("POST /api/sales/7/purchases"));
    assertThat(post("/api/sales/7/purchases//").statusCode()).as("a doubled slash").isEqualTo(400);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(
        request(path).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .header("content-type", "application/json");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
