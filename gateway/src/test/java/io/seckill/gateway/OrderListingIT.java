package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.auth.Tokens;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 13.6: GET /admin/sales/{id}/orders streams a sale of any size in bounded memory. */
class OrderListingIT {
  static final int ORDERS = 200_000;

  /**
   * The gateway's heap for this test. Building the whole list (the rows, a JSON object per order,
   * the encoded body of about 14 MB) does not fit; one page at a time does.
   */
  static final String HEAP = "-Xmx48m";

  @Test
  void theOrderListOfA200000OrderSaleStreamsInBoundedMemory() throws Exception {
    Env env = TestServers.env("order-listing", Map.of(Settings.HTTP_INSTANCES.env(), "1"));
    long sale;
    try (GatewayHarness setup = new GatewayHarness(env)) {
      sale = setup.createSale(ORDERS, 1, 900);
      // Rows straight into PostgreSQL: a worker would take minutes for these.
      await(
          setup
              .pg
              .query(
                  "insert into orders (id, sale_id, user_id, quantity, status, admitted_at, expires_at, cancelled_at, "
                      + "cancel_reason) select g, "
                      + sale
                      + ", 'user-' || g, 1, case when g % 3 = 0 then 'CANCELLED' else 'PENDING_PAYMENT' end, "
                      + "now(), now() + interval '15 minutes', case when g % 3 = 0 then now() end, case when g % 3 = 0 then 'USER' end "
                      + "from generate_series(1, "
                      + ORDERS
                      + ") g")
              .execute());
    }

    Process gateway = startGateway(env);
    Vertx vertx = Vertx.vertx();
    try {
      int port = port(gateway);
      WebClient http =
          WebClient.create(
              vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
      String admin =
          "Bearer " + new Tokens(vertx, env.get(Settings.JWT_SECRET)).admin("admin", 600);
      HttpResponse<Buffer> r =
          await(
              http.get("/admin/sales/" + sale + "/orders")
                  .putHeader("authorization", admin)
                  .timeout(120_000)
                  .send());
      assertThat(r.statusCode()).as(r.statusCode() == 200 ? "" : r.bodyAsString()).isEqualTo(200);
      assertThat(r.getHeader("transfer-encoding")).isEqualTo("chunked");
      assertThat(r.getHeader("content-length")).isNull();
      JsonObject body = r.bodyAsJsonObject();
      assertThat(body.getString("saleId")).isEqualTo(Long.toString(sale));
      JsonArray orders = body.getJsonArray("orders");
      assertThat(orders.size()).isEqualTo(ORDERS);
      long previous = 0;
      int cancelled = 0;
      for (int i = 0; i < orders.size(); i++) {
        JsonObject o = orders.getJsonObject(i);
        long id = Long.parseLong(o.getString("orderId"));
        assertThat(id).isGreaterThan(previous);
        previous = id;
        if ("CANCELLED".equals(o.getString("status"))) cancelled++;
      }
      assertThat(previous).isEqualTo(ORDERS);
      assertThat(cancelled).isEqualTo(ORDERS / 3);
      assertThat(gateway.isAlive()).as("the gateway with " + HEAP + " is alive").isTrue();
      // And it still answers.
      assertThat(await(http.get("/api/sales/" + sale).send()).statusCode()).isEqualTo(200);
    } finally {
      gateway.destroy();
      if (!gateway.waitFor(10, TimeUnit.SECONDS)) gateway.destroyForcibly();
      await(vertx.close());
    }
  }

  private static Process startGateway(Env env) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                HEAP,
                "-XX:+ExitOnOutOfMemoryError",
                "-cp",
                System.getProperty("java.class.path"),
                GatewayMain.class.getName()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    for (Setting s : Settings.all()) pb.environment().put(s.env(), env.get(s));
    pb.environment().put(Settings.HTTP_PORT.env(), "0");
    pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
    File log = new File("target/order-listing-gateway.log");
    Process p = pb.start();
    Thread copier =
        new Thread(
            () -> {
              try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                  var out = new PrintWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                  out.println(line);
                  out.flush();
                  if (line.startsWith("GATEWAY-PORT ")) {
                    synchronized (PORTS) {
                      PORTS.put(p, Integer.parseInt(line.substring(13).trim()));
                      PORTS.notifyAll();
                    }
                  }
                }
              } catch (Exception ignored) {
                // the process ended
              }
            });
    copier.setDaemon(true);
    copier.start();
    return p;
  }

  private static final Map<Process, Integer> PORTS = new HashMap<>();

  private static int port(Process p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    synchronized (PORTS) {
      while (!PORTS.containsKey(p)) {
        if (!p.isAlive())
          throw new AssertionError(
              "the gateway process exited with "
                  + p.exitValue()
                  + "; see target/order-listing-gateway.log");
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) throw new AssertionError("the gateway process did not start in 60 s");
        PORTS.wait(Math.min(left, 500));
      }
      return PORTS.get(p);
    }
  }
}
