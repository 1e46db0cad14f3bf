package io.seckill.gateway;

import static io.seckill.platform.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.RedisKeys;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Issue 13.5: a user's cancellation whose stock return failed is retried until the stock is back,
 * exactly once.
 */
class CancelReturnIT {

  @Test
  void aFailedStockReturnAfterAUserCancelIsRetriedAndTheStockComesBackOnce() throws Exception {
    Env env = TestServers.env("cancel-return");
    try (GatewayHarness gw = new GatewayHarness(env)) {
      long sale = gw.createSale(5, 1, 900);
      long order = gw.pendingOrder(sale, "changes-mind", 900);
      assertThat(gw.stock(sale)).isEqualTo(4);
      // Break the return: its script's first write (SADD to the sale's returned set) now fails with
      // WRONGTYPE.
      gw.redis(Request.cmd(Command.SET).arg(RedisKeys.returned(sale)).arg("not a set"));

      HttpResponse<Buffer> cancel =
          await(
              gw.http
                  .delete("/api/orders/" + order)
                  .putHeader("authorization", gw.user("changes-mind"))
                  .send());
      // Before: 500, and the stock stayed taken until the payment deadline (here 15 minutes; up to
      // 24 h).
      assertThat(cancel.statusCode()).as(cancel.bodyAsString()).isEqualTo(200);
      assertThat(cancel.bodyAsJsonObject().getString("status")).isEqualTo("CANCELLED");
      Thread.sleep(1_000);
      assertThat(gw.stock(sale)).as("stock while Redis refuses the return").isEqualTo(4);

      gw.redis(Request.cmd(Command.DEL).arg(RedisKeys.returned(sale)));
      long deadline = System.currentTimeMillis() + 15_000;
      while (gw.stock(sale) != 5 && System.currentTimeMillis() < deadline) Thread.sleep(100);
      assertThat(gw.stock(sale)).as("stock after the return was retried").isEqualTo(5);
      assertThat(
              gw.redis(Request.cmd(Command.SISMEMBER).arg(RedisKeys.returned(sale)).arg(order))
                  .toInteger())
          .isEqualTo(1);
      Thread.sleep(1_000);
      assertThat(gw.stock(sale)).as("returned exactly once").isEqualTo(5);

      // The durable trace for a gateway restart: a due-now deadline on the delay topic's shortest
      // level.
      DeadlineMessage trace = dueNow(Servers.from(env), order);
      assertThat(trace.saleId()).isEqualTo(sale);
      assertThat(trace.dueAtMillis()).isLessThanOrEqualTo(System.currentTimeMillis());
    }
  }

  private static DeadlineMessage dueNow(Servers servers, long orderId) {
    try (KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(
            KafkaClients.consumer(servers, "reader-" + System.nanoTime(), "reader"))) {
      TopicPartition shortest = new TopicPartition(servers.topics().delay(), 0);
      c.assign(List.of(shortest));
      c.seekToBeginning(List.of(shortest));
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
          if (r.key().equals(Long.toString(orderId))) return DeadlineMessage.parse(r.value());
        }
      }
    }
    throw new AssertionError(
        "no due-now deadline for order " + orderId + " on " + servers.topics().delay() + "-0");
  }
}
