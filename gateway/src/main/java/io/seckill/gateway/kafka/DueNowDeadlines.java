package io.seckill.gateway.kafka;

import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Writes a deadline that is already due onto the delay topic's shortest level (partition 0), so the
 * delay service acts on the order within a moment: the durable trace of a user cancellation whose
 * stock return failed. The producer is created on first use; a gateway whose stock returns all
 * succeed never opens it.
 */
public final class DueNowDeadlines implements AutoCloseable {
  private static final String SHARED_NAME = "seckill-gateway-due-now";
  private static final int SHORTEST_LEVEL = 0;

  private final Vertx vertx;
  private final Servers servers;
  private final long timeoutMillis;
  private KafkaProducer<String, byte[]> producer;

  public DueNowDeadlines(Vertx vertx, Servers servers) {
    this.vertx = vertx;
    this.servers = servers;
    this.timeoutMillis = servers.kafkaDeliveryTimeout().toMillis() + 2_000;
  }

  public synchronized Future<Void> write(DeadlineMessage deadline) {
    if (producer == null) {
      Properties props = new Properties();
      props.putAll(KafkaClients.producer(servers, "seckill-gateway-due-now"));
      producer = KafkaProducer.createShared(vertx, SHARED_NAME, props);
    }
    // The record's timestamp starts its level's clock (see DelayLevels); the deadline itself is
    // now.
    return producer
        .send(
            KafkaProducerRecord.create(
                servers.topics().delay(),
                Long.toString(deadline.orderId()),
                deadline.toBytes(),
                System.currentTimeMillis(),
                SHORTEST_LEVEL))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .mapEmpty();
  }

  @Override
  public synchronized void close() {
    if (producer != null) producer.close();
    producer = null;
  }
}
