package io.seckill.gateway.kafka;

import io.seckill.gateway.metrics.GatewayMetrics;
import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Hands admitted orders to the orders topic, key = order id (so partition = hash of the order id).
 * The future completes when every in-sync replica has the record (acks=all). One kafka-clients
 * producer per gateway, shared by every event loop: `send` is called on the caller's event loop (it
 * only appends to the producer's buffer; it cannot park the loop for more than max.block.ms, and a
 * send that would have to wait longer fails: the order is not sent), and the acknowledgement comes
 * back on the caller's context. Acknowledgements that arrive together (one produce response covers
 * many orders) come back in one task per event loop, not one per order.
 */
public final class OrderPublisher {
  /**
   * Longest a send may wait for metadata or buffer space on an event loop before it counts as not
   * sent.
   */
  static final Duration MAX_BLOCK = Duration.ofMillis(20);

  private final Vertx vertx;
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final GatewayMetrics metrics;
  private final Map<Context, Inbox> inboxes = new ConcurrentHashMap<>();
  private final Map<String, Object> adminProps;
  private final Map<String, Object> producerProps;

  /**
   * The warm-up's private sale, whose orders go to a private topic instead of the workers' (0:
   * none).
   */
  private volatile long divertedSale;

  /**
   * Sends the warm-up's orders: the same code as the main producer (so it compiles the same path),
   * but its own metadata, so the main producer never learns of the private topics (a deleted topic
   * it knew would be asked for again at every metadata refresh).
   */
  private volatile KafkaProducer<String, byte[]> warmupProducer;

  public OrderPublisher(
      Vertx vertx, Servers servers, GatewayMetrics metrics, int lingerMs, String compression) {
    this.vertx = vertx;
    this.metrics = metrics;
    Map<String, Object> props = KafkaClients.producer(servers, "seckill-gateway");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) MAX_BLOCK.toMillis());
    props.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
    this.producerProps = Map.copyOf(props);
    // The only topic this producer writes to must not idle out of its metadata (5 minutes by
    // default): the first buyer
    // after a quiet spell would wait for it, and a send may not wait longer than MAX_BLOCK.
    props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
    this.producer = new KafkaProducer<>(props);
    this.topic = servers.topics().orders();
    this.adminProps =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            servers.kafkaBootstrap(),
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            4_000);
  }

  /**
   * The topic that takes a warm-up sale's orders: never read by a worker, deleted after the
   * warm-up. One per round, so a retried round does not write to a topic the producer still
   * remembers as deleted.
   */
  private String warmupTopic(long saleId) {
    return topic + ".warmup-" + saleId;
  }

  /**
   * From now on the orders of this sale go to a private topic (created now), not to the orders
   * topic.
   */
  public Future<Void> divert(long saleId) {
    return vertx.executeBlocking(
        () -> {
          try (Admin admin = Admin.create(adminProps)) {
            admin
                .createTopics(
                    List.of(new NewTopic(warmupTopic(saleId), Optional.of(1), Optional.empty())))
                .all()
                .get();
          } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) throw e;
          }
          warmupProducer = new KafkaProducer<>(producerProps);
          divertedSale = saleId;
          return null;
        },
        false);
  }

  /** Ends the diversion and deletes the private topic (best effort). */
  public Future<Void> undivert() {
    long saleId = divertedSale;
    divertedSale = 0;
    KafkaProducer<String, byte[]> warm = warmupProducer;
    warmupProducer = null;
    if (saleId == 0) return Future.succeededFuture();
    return vertx.executeBlocking(
        () -> {
          if (warm != null) warm.close(Duration.ofSeconds(5));
          try (Admin admin = Admin.create(adminProps)) {
            admin.deleteTopics(List.of(warmupTopic(saleId))).all().get();
          }
          return null;
        },
        false);
  }

  public Future<Void> publish(OrderMessage message) {
    Context context = vertx.getOrCreateContext();
    Promise<Void> done = Promise.promise();
    long start = System.nanoTime();
    Inbox inbox = inboxes.computeIfAbsent(context, Inbox::new);
    try {
      long diverted = divertedSale;
      boolean warm = diverted != 0 && message.saleId() == diverted;
      KafkaProducer<String, byte[]> to = warm ? warmupProducer : producer;
      to.send(
          new ProducerRecord<>(
              warm ? warmupTopic(diverted) : topic,
              Long.toString(message.orderId()),
              message.toBytes()),
          (meta, err) -> {
            if (err == null) metrics.kafkaSend(System.nanoTime() - start);
            inbox.post(done, err);
          });
    } catch (RuntimeException e) {
      // max.block.ms passed (no metadata, buffer full) or the producer is closed: not sent.
      done.fail(e);
    }
    return done.future();
  }

  /**
   * Completes once this producer knows a leader for every partition of the orders topic, so the
   * first buyers are not the ones who discover the cluster's metadata (see TopicSetup).
   * partitionsFor blocks, so it runs on a worker.
   */
  public Future<Void> awaitMetadata(Vertx vertx, long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    return vertx.executeBlocking(
        () -> {
          RuntimeException last = null;
          while (System.currentTimeMillis() < deadline) {
            try {
              List<PartitionInfo> parts = producer.partitionsFor(topic);
              if (!parts.isEmpty()
                  && parts.stream().allMatch(p -> p.leader() != null && p.leader().id() >= 0))
                return null;
            } catch (RuntimeException e) {
              last = e; // max.block.ms is short; keep asking until the deadline
            }
            Thread.sleep(100);
          }
          throw new IllegalStateException(
              "no leader for every partition of "
                  + topic
                  + (last == null ? "" : " (" + last.getMessage() + ")"));
        },
        false);
  }

  public Future<Void> close() {
    return vertx.executeBlocking(
        () -> {
          producer.close(Duration.ofSeconds(5));
          return null;
        },
        false);
  }

  /**
   * Acknowledgements on their way back to one context. The producer's I/O thread adds them; one
   * task on the context completes every one that is there when it runs.
   */
  private static final class Inbox {
    private record Ack(Promise<Void> promise, Exception error) {}

    private final Context context;
    private final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    Inbox(Context context) {
      this.context = context;
    }

    void post(Promise<Void> promise, Exception error) {
      acks.add(new Ack(promise, error));
      if (scheduled.compareAndSet(false, true)) context.runOnContext(v -> drain());
    }

    private void drain() {
      scheduled.set(false);
      Ack ack;
      while ((ack = acks.poll()) != null) {
        if (ack.error == null) ack.promise.complete();
        else ack.promise.fail(ack.error);
      }
    }
  }
}
