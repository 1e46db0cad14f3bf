package io.seckill.gateway.kafka;

import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Hands admitted orders to the orders topic, key = order id (so partition = hash of the order id). The future
 * completes when every in-sync replica has the record (acks=all); every verticle shares one underlying producer.
 */
public final class OrderPublisher {
  private static final String SHARED_NAME = "seckill-gateway-orders";

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final long timeoutMillis;

  private final GatewayMetrics metrics;

  public OrderPublisher(Vertx vertx, Servers servers, GatewayMetrics metrics) {
    this.metrics = metrics;
    Properties props = new Properties();
    props.putAll(KafkaClients.producer(servers, "seckill-gateway"));
    this.producer = KafkaProducer.createShared(vertx, SHARED_NAME, props);
    this.topic = servers.topics().orders();
    // The producer gives up at delivery.timeout.ms itself; this outer bound only guards against a stuck client.
    this.timeoutMillis = servers.kafkaDeliveryTimeout().toMillis() + 2_000;
  }

  public Future<Void> publish(OrderMessage message) {
    long start = System.nanoTime();
    return producer.send(KafkaProducerRecord.create(topic, Long.toString(message.orderId()), message.toBytes()))
        .timeout(timeoutMillis, TimeUnit.MILLISECONDS)
        .onSuccess(m -> metrics.kafkaSend(System.nanoTime() - start))
        .mapEmpty();
  }

  /**
   * Completes once this producer's broker knows a leader for every partition of the orders topic, so the first
   * buyers are not the ones who discover the cluster's metadata (see TopicSetup).
   */
  public Future<Void> awaitMetadata(io.vertx.core.Vertx vertx, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    return producer.partitionsFor(topic).compose(parts -> {
      boolean ready = !parts.isEmpty() && parts.stream().allMatch(p -> p.getLeader() != null && p.getLeader().getId() >= 0);
      if (ready) return Future.<Void>succeededFuture();
      if (System.currentTimeMillis() > deadline) return Future.failedFuture("no leader for every partition of " + topic);
      io.vertx.core.Promise<Void> retry = io.vertx.core.Promise.promise();
      vertx.setTimer(100, t -> awaitMetadata(vertx, deadline - System.currentTimeMillis()).onComplete(retry));
      return retry.future();
    });
  }

  public Future<Void> close() {
    return producer.close();
  }
}
