package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 13.6: anonymous sale reads of unknown ids are remembered, and reads are rate-limited per
 * client IP.
 */
class SaleReadsIT {

  @Test
  void anUnknownSaleIdIsAnsweredFromMemoryForAFewSecondsInsteadOfAQueryEachTime() throws Exception {
    try (GatewayHarness gw = new GatewayHarness(TestServers.env("sale-reads-miss"))) {
      long id = 4_000_000_000L + (System.nanoTime() & 0xffffff);
      assertThat(await(gw.http.get("/api/sales/" + id).send()).statusCode()).isEqualTo(404);
      // The sale appears in PostgreSQL behind the gateway's back: a read that went to PostgreSQL
      // would now find it.
      await(
          gw.pg
              .query(
                  "insert into sales (id, item, initial_stock, price_cents, starts_at, ends_at, per_user_limit, "
                      + "payment_timeout_seconds) values ("
                      + id
                      + ", 'late', 1, 1, now(), now() + interval '1 hour', 1, 60)")
              .execute());
      Thread.sleep(2_000); // longer than the one second misses were remembered before
      assertThat(await(gw.http.get("/api/sales/" + id).send()).statusCode())
          .as("answered from the miss cache")
          .isEqualTo(404);
      long deadline = System.currentTimeMillis() + 10_000;
      int status = 404;
      while (status == 404 && System.currentTimeMillis() < deadline) {
        Thread.sleep(250);
        status = await(gw.http.get("/api/sales/" + id).send()).statusCode();
      }
      assertThat(status).as("read again once the miss expired").isEqualTo(200);
    }
  }

  @Test
  void anonymousSaleReadsDrawOnThePerIpBucket() {
    // Loopback is exempt by default (load tests); here it is an ordinary client with a bucket of 5.
    try (GatewayHarness gw =
        new GatewayHarness(
            TestServers.env(
                "sale-reads-ip",
                Map.of(
                    Settings.RATE_LIMIT_EXEMPT_IPS.env(),
                    "192.0.2.1",
                    Settings.IP_RATE_PER_SECOND.env(),
                    "0.5",
                    Settings.IP_BURST.env(),
                    "5")))) {
      int limited = 0;
      HttpResponse<Buffer> last = null;
      for (int i = 0; i < 8; i++) {
        last = await(gw.http.get("/api/sales/" + (999_000 + i)).send());
        if (last.statusCode() == 429) limited++;
        else assertThat(last.statusCode()).isEqualTo(404);
      }
      assertThat(limited).isEqualTo(3);
      assertThat(last.getHeader("content-type")).isEqualTo("application/problem+json");
      assertThat(last.bodyAsJsonObject().getString("type")).endsWith("/rate-limited");
      assertThat(last.getHeader("retry-after")).isNotNull();
    }
  }
}
