package io.seckill.delay;

import io.seckill.inventory.Inventory;
import io.seckill.inventory.PipelinedRedis;
import io.seckill.platform.config.Servers;
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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delay service: payment deadlines off the delay topic, cancelled with a compare-and-set when
 * due, their stock returned exactly once. The shared consumer loop holds each level's records until
 * due; start() and close() are safe to call from an event loop. Expects the schema migrated and the
 * topics created (the launcher does both).
 */
public final class DelayService implements Lifecycle {
  private static final Logger log = LoggerFactory.getLogger(DelayService.class);

  /** Records per poll: a few batches' worth, never below Kafka's own default. */
  private static final int MIN_POLL_RECORDS = 500;

  private static final int POLL_BATCHES = 4;

  /**
   * One fetch per broker is in flight at a time; a level resumed while an idle long-poll is parked
   * would wait out the whole default 500 ms before its records are even asked for.
   */
  private static final int FETCH_MAX_WAIT_MS = 20;

  /** Redis connections: stock returns are pipelined, so two carry every batch in flight. */
  private static final int REDIS_POOL_SIZE = 2;

  private static final int MIN_REDIS_WAITING = 2048;

  /**
   * Rounds of the cancel statements run per connection before consuming (Primer): a few hundred
   * milliseconds at start, enough to load and compile the path the first deadlines take.
   */
  private static final int PRIMING_ROUNDS = 20;

  private static final Duration GRACEFUL_CLIENT_CLOSE = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final DelayConfig config;
  private final DelayStats stats = new DelayStats();
  private KafkaProducer<String, byte[]> producer;
  private Pool pool;
  private Redis redis;
  private ConsumerLoop<Batch, LevelQueue> loop;
  private Future<Void> closing;

  public DelayService(Vertx vertx, DelayConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Connects and starts consuming; completes once the consumer thread runs. */
  @Override
  public synchronized Future<Void> start() {
    if (loop != null) return Future.failedFuture(new IllegalStateException("already started"));
    Context context = vertx.getOrCreateContext();
    Servers servers = config.servers();
    return vertx
        .<KafkaConsumer<String, byte[]>>executeBlocking(
            () -> {
              producer = new KafkaProducer<>(KafkaClients.producer(servers, config.clientId()));
              checkPartitions();
              Map<String, Object> props =
                  KafkaClients.consumer(servers, config.group(), config.clientId());
              props.put(
                  ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                  Math.max(MIN_POLL_RECORDS, config.batchSize() * POLL_BATCHES));
              props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
              return new KafkaConsumer<>(props);
            })
        .compose(
            consumer -> {
              pool = Postgres.pool(vertx, servers, "delay-service");
              redis =
                  new PipelinedRedis(
                      Redis.createClient(
                          vertx,
                          new RedisOptions()
                              .setConnectionString(servers.redisUri())
                              .setMaxPoolSize(REDIS_POOL_SIZE)
                              .setMaxWaitingHandlers(
                                  Math.max(
                                      MIN_REDIS_WAITING,
                                      2
                                          * config.maxInFlightBatches()
                                          * config.stockReturnsInFlight()))));
              Canceller.Orders orders =
                  Canceller.Orders.of(new OrderStore(pool, servers.callTimeout()));
              Inventory inventory = new Inventory(redis, servers.callTimeout());
              Canceller canceller =
                  new Canceller(
                      orders, Canceller.Stock.of(inventory), config.stockReturnsInFlight(), stats);
              DelayTopicWriter writer =
                  new DelayTopicWriter(producer, servers.topics(), config.levels());
              BatchRunner runner = new BatchRunner(canceller, writer, stats);
              // Commits go by time only: a deadline batch is small and its offsets cheap to redo.
              LoopSettings settings =
                  new LoopSettings(
                      servers.topics().delay(),
                      config.maxInFlightBatches(),
                      Long.MAX_VALUE,
                      config.commitInterval(),
                      config.maxBackoff(),
                      config.drainTimeout());
              // Primed before the consumer joins the group: until then the deadlines wait in the
              // topic, where they are safe, instead of in a consumer that would stall on them.
              return new Primer(orders, inventory::ping, servers.pgPoolSize(), PRIMING_ROUNDS)
                  .prime()
                  .map(
                      v -> {
                        synchronized (this) {
                          // Closed while priming: never start a consumer nobody will stop.
                          if (closing != null) {
                            consumer.close(Duration.ZERO);
                            throw new IllegalStateException("closed while starting");
                          }
                          loop =
                              new ConsumerLoop<>(
                                  consumer,
                                  settings,
                                  new DeadlinePolicy(config, context, runner, stats));
                        }
                        new Thread(loop, "seckill-delay-loop").start();
                        log.info(
                            "delay service consuming {} ({} levels, group {})",
                            servers.topics().delay(),
                            config.levels().count(),
                            config.group());
                        return (Void) null;
                      });
            })
        .onFailure(
            e -> {
              if (producer != null) producer.close(Duration.ZERO);
            });
  }

  /** Lets running batches finish, commits them, and releases every connection. */
  @Override
  public synchronized Future<Void> close() {
    return shutdown(false);
  }

  /**
   * Test hook: stops as a killed process would, committing nothing more; the deadlines are
   * redelivered.
   */
  public synchronized Future<Void> halt() {
    return shutdown(true);
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

  public DelayStats stats() {
    return stats;
  }

  /** How many levels this instance consumes right now (0 until the group assigned it some). */
  public synchronized int assignedLevels() {
    return loop == null ? 0 : loop.assignedPartitions();
  }

  private Future<Void> shutdown(boolean crash) {
    if (closing != null) return closing;
    if (loop == null) return closing = Future.succeededFuture();
    if (crash) loop.halt();
    else loop.stop();
    ConsumerLoop<Batch, LevelQueue> stopping = loop;
    closing =
        vertx
            .<Void>executeBlocking(
                () -> {
                  try {
                    // The loop waits up to the drain timeout for batches, then closes the consumer:
                    // allow it that, and a call.
                    stopping
                        .finished()
                        .get(
                            config.drainTimeout().plus(config.servers().callTimeout()).toMillis(),
                            TimeUnit.MILLISECONDS);
                  } catch (Exception e) {
                    log.warn("delay consumer did not stop in time: {}", e.toString());
                  }
                  producer.close(crash ? Duration.ZERO : GRACEFUL_CLIENT_CLOSE);
                  return null;
                })
            .compose(v -> redis.close())
            .compose(v -> pool.close());
    return closing;
  }

  private void checkPartitions() {
    int partitions = producer.partitionsFor(config.servers().topics().delay()).size();
    if (partitions < config.levels().count()) {
      throw new IllegalStateException(
          "delay topic "
              + config.servers().topics().delay()
              + " has "
              + partitions
              + " partitions but "
              + config.levels().count()
              + " delay levels are configured; add partitions or shorten "
              + "SECKILL_DELAY_LEVELS");
    }
    if (partitions > config.levels().count()) {
      log.warn(
          "delay topic has {} partitions for {} levels; records on the extra partitions are re-routed at once",
          partitions,
          config.levels().count());
    }
  }
}
