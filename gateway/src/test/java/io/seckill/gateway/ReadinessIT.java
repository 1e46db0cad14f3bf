package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Settings;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Anyone may call /health/ready: it says which dependency is DOWN, never why (an error text names
 * hosts, users and databases). The why goes to the log and to
 * seckill_dependency_check_failures_total.
 */
class ReadinessIT {

  @Test
  void aDependencyThatIsDownIsNamedWithoutItsErrorText() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Metrics.addRegistry(meters);
    Env good = TestServers.env("readiness");
    // The real PostgreSQL server, a database that does not exist: it answers with an error naming
    // that database.
    String missingDb = "no_such_db_" + UUID.randomUUID().toString().replace("-", "");
    Env env =
        good.with(
            Settings.PG_URI, good.get(Settings.PG_URI).replaceAll("/[^/]+$", "/" + missingDb));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      HttpResponse<Buffer> r = null;
      for (int i = 0; i < 20; i++) {
        r = await(gw.http.get("/health/ready").send());
        if (r.statusCode() == 503
            && statuses(r.bodyAsJsonObject()).get("postgresql").equals("DOWN")
            && statuses(r.bodyAsJsonObject()).get("redis").equals("UP")) break;
        sleep(250);
      }
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
      Map<String, String> statuses = statuses(r.bodyAsJsonObject());
      assertThat(statuses)
          .containsEntry("postgresql", "DOWN")
          .containsEntry("redis", "UP")
          .containsEntry("accepting-traffic", "UP");
      assertThat(r.bodyAsString())
          .doesNotContain(missingDb)
          .doesNotContain("does not exist")
          .doesNotContain("Exception")
          .doesNotContain("error")
          .doesNotContain("cause");
      for (Object check : r.bodyAsJsonObject().getJsonArray("checks")) {
        assertThat(((JsonObject) check).fieldNames())
            .as(check.toString())
            .containsOnly("id", "status");
      }
      Counter failures =
          meters
              .find("seckill_dependency_check_failures")
              .tag("dependency", "postgresql")
              .counter();
      assertThat(failures).as("failures counted for /metrics").isNotNull();
      assertThat(failures.count()).isGreaterThanOrEqualTo(1);
    } finally {
      Metrics.removeRegistry(meters);
    }
  }

  private static Map<String, String> statuses(JsonObject body) {
    Map<String, String> out = new HashMap<>();
    for (Object check : body.getJsonArray("checks")) {
      JsonObject c = (JsonObject) check;
      out.put(c.getString("id"), c.getString("status"));
    }
    return out;
  }
}
