package io.seckill.worker;

import io.seckill.inventory.Inventory;
import io.seckill.platform.config.Servers;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Postgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An order worker: one member of the consumer group on the orders topic. One dedicated thread polls and commits;
 * the batches it cuts are written with bounded async concurrency on the reactive PostgreSQL and Redis clients of one
 * Vert.x context. Expects the schema migrated and the topics created (the launcher does both).
 */
public final class OrderWorker {
  private static final Logger log = LoggerFactory.getLogger(OrderWorker.class);

  private final Vertx vertx;
  private final WorkerConfig config;
  private final WorkerStats stats = new WorkerStats();
  private Pool pool;
  private Redis redis;
  private Producer<String, byte[]> producer;
  private Retrier retrier;
  private ConsumerLoop loop;
  private Future<Void> closing;

  public OrderWorker(Vertx vertx, WorkerConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Starts consuming; succeeds once the consumer thread runs (partitions are assigned asynchronously after that). */
  public synchronized Future<Void> start() {
    if (loop != null) return Future.failedFuture(new IllegalStateException("already started"));
    try {
      Servers servers = config.servers();
      Context context = vertx.getOrCreateContext();
      pool = Postgres.pool(vertx, servers, "order-worker");
      redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(servers.redisUri())
          .setMaxPoolSize(servers.redisPoolSize()).setMaxPoolWaiting(10_000));
      producer = new KafkaProducer<>(KafkaClients.producer(servers, config.clientId() + "-producer"));
      retrier = new Retrier(vertx, new Backoff(config.maxBackoff()), stats);
      BatchProcessor processor = new BatchProcessor(Stock.of(new Inventory(redis, servers.callTimeout())),
          OrderRows.of(new OrderStore(pool, servers.callTimeout())),
          new KafkaOutbox(producer, context, servers.topics(), config.delayLevels(), System::currentTimeMillis),
          retrier, stats);
      KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig());
      loop = new ConsumerLoop(consumer, servers.topics().orders(), config, stats, (batch, done) ->
          context.runOnContext(v -> {
            try {
              processor.process(batch).onComplete(ar -> done.accept(ar.succeeded() ? null : ar.cause()));
            } catch (RuntimeException e) {
              done.accept(e);
            }
          }));
      Thread thread = new Thread(loop, "order-worker-consumer");
      thread.start();
      log.info("order worker {} consuming {} as group {} (concurrency {}, batches of {})", config.clientId(),
          servers.topics().orders(), config.group(), config.concurrency(), config.batchSize());
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      releaseClients(Duration.ZERO);
      return Future.failedFuture(e);
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> c = KafkaClients.consumer(config.servers(), config.group(), config.clientId());
    // Enough per poll to cut full batches for several partitions at once.
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(500, 2 * config.batchSize()));
    // A worker joining or leaving moves only the partitions that must move; the others keep their batches running.
    c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    // How soon a crashed or frozen worker's partitions move to the others (the broker bounds it by its own minimum).
    int session = (int) config.sessionTimeout().toMillis();
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    c.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(100, Math.min(3000, session / 3)));
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) config.maxPollInterval().toMillis());
    return c;
  }

  public WorkerStats stats() {
    return stats;
  }

  /** Completes when the consumer loop has ended: after close(), or if it died (then the process should restart). */
  public synchronized Future<Void> terminated() {
    if (loop == null) return Future.failedFuture(new IllegalStateException("not started"));
    return Future.fromCompletionStage(loop.finished());
  }

  /**
   * Graceful and bounded: stops fetching, lets in-flight batches finish (up to the close timeout), commits what is
   * finished, leaves the group, then closes the clients. Whatever was not finished is re-delivered to the group.
   */
  public synchronized Future<Void> close() {
    if (closing != null) return closing;
    if (loop == null) return closing = Future.succeededFuture();
    loop.stop();
    closing = Future.fromCompletionStage(loop.finished())
        .compose(v -> {
          retrier.stop();
          return vertx.<Void>executeBlocking(() -> {
            releaseClients(Duration.ofSeconds(5));
            return null;
          });
        })
        .onComplete(ar -> log.info("order worker {} closed: {}", config.clientId(), stats));
    return closing;
  }

  /** Test hook: dies like a killed process would, committing nothing and abandoning the batches in flight. */
  synchronized Future<Void> halt() {
    if (closing != null) return closing;
    loop.halt();
    retrier.stop();
    closing = Future.fromCompletionStage(loop.finished())
        .compose(v -> vertx.<Void>executeBlocking(() -> {
          releaseClients(Duration.ZERO);
          return null;
        }));
    return closing;
  }

  private void releaseClients(Duration grace) {
    if (producer != null) producer.close(grace);
    if (pool != null) pool.close();
    if (redis != null) redis.close();
  }
}
