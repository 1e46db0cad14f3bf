package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * Warm before ready: a fresh gateway compiles its hot path on a private sale first, and leaves no
 * trace of it.
 */
class WarmupIT {

  @Test
  void aFreshGatewayAnswersReadyOnlyAfterDrivingItsHotPathAndNoOrderOrTopicOfThatReachesAnyoneElse()
      throws Exception {
    Env env = TestServers.env("warmup", Map.of(Settings.WARMUP_SECONDS.env(), "4"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      assertThat(ready(gw).statusCode()).isEqualTo(503);
      assertThat(ready(gw).bodyAsString()).contains("warm");
      awaitReady(gw, 60_000);
      Servers servers = Servers.from(env);
      // Its orders went to a private topic, now deleted; the workers' topic is untouched, and no
      // listing shows its sales.
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()))) {
        assertThat(admin.listTopics().names().get())
            .contains(servers.topics().orders())
            .noneMatch(name -> name.startsWith(servers.topics().orders() + ".warmup"));
      }
      try (KafkaConsumer<String, byte[]> c =
          new KafkaConsumer<>(
              KafkaClients.consumer(servers, "reader-" + System.nanoTime(), "reader"))) {
        c.subscribe(List.of(servers.topics().orders()));
        int records = 0;
        for (int i = 0; i < 15; i++) records += c.poll(Duration.ofMillis(200)).count();
        assertThat(records).isZero();
      }
      HttpResponse<Buffer> listing = await(gw.http.get("/api/sales").send());
      assertThat(listing.bodyAsJsonObject().getJsonArray("sales")).isEmpty();
      // And the warmed gateway sells.
      long sale = gw.createSale(3, 1, 900);
      assertThat(await(gw.purchase(sale, "wanda", null)).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void aGatewayThatCannotWarmUpWhileRedisIsAwayBecomesReadyOnceItIsBack() {
    Env env =
        TestServers.env(
            "warmup-away",
            Map.of(Settings.WARMUP_SECONDS.env(), "2", Settings.CALL_TIMEOUT_MS.env(), "500"));
    try (GatewayHarness gw = new GatewayHarness(env)) {
      gw.pauseRedis(5_000);
      sleep(1_000);
      assertThat(ready(gw).statusCode()).isEqualTo(503);
      // A round during the stall admits nothing, so it does not count: the gateway tries again
      // until Redis is back.
      awaitReady(gw, 90_000);
      long sale = gw.createSale(3, 1, 900);
      assertThat(await(gw.purchase(sale, "wim", null)).statusCode()).isEqualTo(202);
    }
  }

  private static HttpResponse<Buffer> ready(GatewayHarness gw) {
    return await(gw.http.get("/health/ready").send());
  }

  private static void awaitReady(GatewayHarness gw, long millis) {
    long deadline = System.currentTimeMillis() + millis;
    while (ready(gw).statusCode() != 200) {
      assertThat(System.currentTimeMillis()).as("ready within %d ms", millis).isLessThan(deadline);
      sleep(250);
    }
  }
}
