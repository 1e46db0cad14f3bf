package io.seckill.worker;

import io.seckill.inventory.Inventory;
import io.seckill.platform.config.Servers;
import io.seckill.platform.kafka.Backoff;
import io.seckill.platform.kafka.ConsumerLoop;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.kafka.LoopSettings;
import io.seckill.platform.lifecycle.Lifecycle;
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
 * An order worker: one member of the consumer group on the orders topic. The shared consumer loop
 * polls and commits on its own thread; the batches it cuts are written with bounded async
 * concurrency on the reactive PostgreSQL and Redis clients of one Vert.x context. Expects the
 * schema migrated and the topics created (the launcher does both).
 */
public final class OrderWorker implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(OrderWorker.class);

  /**
   * Callers waiting for a pooled Redis connection before the client refuses more: far above a
   * batch's claims.
   */
  private static final int REDIS_POOL_WAITING = 10_000;

  /** Records per poll never below this, so small batch sizes still fetch efficiently. */
  private static final int MIN_POLL_RECORDS = 500;

  /** Heartbeats: a third of the session timeout, as Kafka advises, within these bounds. */
  private static final int MIN_HEARTBEAT_MS = 100;

  private static final int MAX_HEARTBEAT_MS = 3000;
  private static final Duration GRACEFUL_CLIENT_CLOSE = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final WorkerConfig config;
  private final WorkerStats stats = new WorkerStats();
  private Pool pool;
  private Redis redis;
  private Producer<String, byte[]> producer;
  private Retrier retrier;
  private ConsumerLoop<Batch, PartitionWork> loop;
  private Future<Void> closing;

  public OrderWorker(Vertx vertx, WorkerConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Starts consuming; succeeds once the consumer thread runs (partitions are assigned
   * asynchronously after that).
   */
  @Override
  public synchronized Future<Void> start() {
    if (loop != null) return Future.failedFuture(new IllegalStateException("already started"));
    try {
      Servers servers = config.servers();
      Context context = vertx.getOrCreateContext();
      pool = Postgres.pool(vertx, servers, "order-worker");
      redis =
          Redis.createClient(
              vertx,
              new RedisOptions()
                  .setConnectionString(servers.redisUri())
                  .setMaxPoolSize(servers.redisPoolSize())
                  .setMaxPoolWaiting(REDIS_POOL_WAITING));
      producer =
          new KafkaProducer<>(KafkaClients.producer(servers, config.clientId() + "-producer"));
      retrier = new Retrier(vertx, new Backoff(config.maxBackoff()), stats);
      BatchProcessor processor =
          new BatchProcessor(
              Stock.of(new Inventory(redis, servers.callTimeout())),
              OrderRows.of(new OrderStore(pool, servers.callTimeout())),
              new KafkaOutbox(
                  producer,
                  context,
                  servers.topics(),
                  config.delayLevels(),
                  System::currentTimeMillis),
              retrier,
              stats);
      LoopSettings settings =
          new LoopSettings(
              servers.topics().orders(),
              // A partition has one batch out at a time; the policy bounds the writes.
              Integer.MAX_VALUE,
              config.commitEvery(),
              config.commitInterval(),
              config.maxBackoff(),
              config.closeTimeout());
      loop =
          new ConsumerLoop<>(
              new KafkaConsumer<>(consumerConfig()),
              settings,
              new OrderPolicy(config, context, processor, stats));
      Thread thread = new Thread(loop, "order-worker-consumer");
      thread.start();
      log.info(
          "order worker {} consuming {} as group {} (concurrency {}, batches of {})",
          config.clientId(),
          servers.topics().orders(),
          config.group(),
          config.concurrency(),
          config.batchSize());
      return Future.succeededFuture();
    } catch (RuntimeException e) {
      releaseClients(Duration.ZERO);
      return Future.failedFuture(e);
    }
  }

  private Map<String, Object> consumerConfig() {
    Map<String, Object> c =
        KafkaClients.consumer(config.servers(), config.group(), config.clientId());
    // Enough per poll to cut full batches for several partitions at once.
    c.put(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(MIN_POLL_RECORDS, 2 * config.batchSize()));
    // A worker joining or leaving moves only the partitions that must move; the others keep their
    // batches running.
    c.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    // How soon a crashed or frozen worker's partitions move to the others (the broker bounds it by
    // its own minimum).
    int session = (int) config.sessionTimeout().toMillis();
    c.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
    c.put(
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
        Math.max(MIN_HEARTBEAT_MS, Math.min(MAX_HEARTBEAT_MS, session / 3)));
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) config.maxPollInterval().toMillis());
    // Under a live stream the broker would otherwise answer every fetch with the few records that
    // arrived since the last one: thousands of fetches a second, each a broker round of its own.
    c.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, config.fetchMinBytes());
    c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.fetchMaxWait().toMillis());
    return c;
  }

  public WorkerStats stats() {
    return stats;
  }

  /**
   * Completes when the consumer loop has ended: after close() or halt(), or if it died (then the
   * process should restart).
   */
  @Override
  public synchronized Future<Void> terminated() {
    if (loop == null) return Future.failedFuture(new IllegalStateException("not started"));
    return Future.fromCompletionStage(loop.finished());
  }

  /**
   * Graceful and bounded: stops fetching, lets in-flight batches finish (up to the close timeout),
   * commits what is finished, leaves the group, then closes the clients. Whatever was not finished
   * is re-delivered to the group.
   */
  @Override
  public synchronized Future<Void> close() {
    if (closing != null) return closing;
    if (loop == null) return closing = Future.succeededFuture();
    loop.stop();
    closing =
        Future.fromCompletionStage(loop.finished())
            .compose(
                v -> {
                  retrier.stop();
                  return vertx.<Void>executeBlocking(
                      () -> {
                        releaseClients(GRACEFUL_CLIENT_CLOSE);
                        return null;
                      });
                })
            .onComplete(ar -> log.info("order worker {} closed: {}", config.clientId(), stats));
    return closing;
  }

  /**
   * Test hook: stops as a killed process would, committing nothing and abandoning the batches in
   * flight.
   */
  public synchronized Future<Void> halt() {
    if (closing != null) return closing;
    if (loop == null) return closing = Future.succeededFuture();
    loop.halt();
    retrier.stop();
    closing =
        Future.fromCompletionStage(loop.finished())
            .compose(
                v ->
                    vertx.<Void>executeBlocking(
                        () -> {
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
