package io.seckill.delay;

import io.seckill.inventory.PipelinedRedis;
import io.seckill.inventory.Inventory;
import io.seckill.platform.config.Servers;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.kafka.TopicSetup;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.Postgres;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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
 * The delay service: payment deadlines off the delay topic, cancelled with a compare-and-set when due, their stock
 * returned exactly once. start() and close() are what the launcher calls; both are safe to call from an event loop.
 */
public final class DelayService {
  private static final Logger log = LoggerFactory.getLogger(DelayService.class);

  private final Vertx vertx;
  private final DelayConfig config;
  private final DelayStats stats = new DelayStats();
  private KafkaProducer<String, byte[]> producer;
  private Pool pool;
  private Redis redis;
  private DelayLoop loop;
  private Thread thread;

  public DelayService(Vertx vertx, DelayConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /** Ensures the topics, connects, and starts consuming; completes once the consumer thread runs. */
  public Future<Void> start() {
    Context context = vertx.getOrCreateContext();
    Servers servers = config.servers();
    return vertx.<KafkaConsumer<String, byte[]>>executeBlocking(() -> {
      TopicSetup.ensure(servers, config.levels());
      producer = new KafkaProducer<>(KafkaClients.producer(servers, config.clientId()));
      checkPartitions();
      Map<String, Object> props = KafkaClients.consumer(servers, config.group(), config.clientId());
      props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(500, config.batchSize() * 4));
      // One fetch per broker is in flight at a time; a level resumed while an idle long-poll is parked would wait
      // out the whole default 500 ms before its records are even asked for.
      props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
      return new KafkaConsumer<>(props);
    }).map(consumer -> {
      pool = Postgres.pool(vertx, servers, "delay-service");
      redis = new PipelinedRedis(Redis.createClient(vertx, new RedisOptions().setConnectionString(servers.redisUri())
          .setMaxPoolSize(2).setMaxWaitingHandlers(Math.max(2048, 2 * config.maxInFlightBatches() * config.stockReturnsInFlight()))));
      Inventory inventory = new Inventory(redis, servers.callTimeout());
      OrderStore store = new OrderStore(pool, servers.callTimeout());
      DelayTopicWriter writer = new DelayTopicWriter(producer, servers.topics(), config.levels());
      BatchRunner runner = new BatchRunner(new Canceller(store, inventory, config.stockReturnsInFlight(), stats), writer, stats);
      loop = new DelayLoop(config, consumer, batch -> {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> runner.run(batch).onComplete(done));
        return done.future();
      }, stats);
      thread = new Thread(loop, "seckill-delay-loop");
      thread.start();
      log.info("delay service consuming {} ({} levels, group {})", servers.topics().delay(), config.levels().count(), config.group());
      return (Void) null;
    }).onFailure(e -> {
      if (producer != null) producer.close(Duration.ZERO);
    });
  }

  /** Lets running batches finish, commits them, and releases every connection. */
  public Future<Void> close() {
    return shutdown(false);
  }

  /** Stops as a crash would, committing nothing more. For tests of redelivery. */
  Future<Void> crash() {
    return shutdown(true);
  }

  public DelayStats stats() {
    return stats;
  }

  /** How many levels this instance consumes right now (0 until the group assigned it some). */
  public int assignedLevels() {
    return loop == null ? 0 : loop.assignedLevels();
  }

  private Future<Void> shutdown(boolean crash) {
    if (loop == null) return Future.succeededFuture();
    var stopped = crash ? loop.halt() : loop.stop();
    return vertx.<Void>executeBlocking(() -> {
      try {
        stopped.get(config.servers().callTimeout().multipliedBy(3).plus(config.servers().kafkaDeliveryTimeout()).toMillis(),
            TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        log.warn("delay consumer did not stop in time: {}", e.toString());
      }
      producer.close(crash ? Duration.ZERO : Duration.ofSeconds(5));
      return null;
    }).compose(v -> redis.close()).compose(v -> pool.close());
  }

  private void checkPartitions() {
    int partitions = producer.partitionsFor(config.servers().topics().delay()).size();
    if (partitions < config.levels().count()) {
      throw new IllegalStateException("delay topic " + config.servers().topics().delay() + " has " + partitions
          + " partitions but " + config.levels().count() + " delay levels are configured; add partitions or shorten "
          + "SECKILL_DELAY_LEVELS");
    }
    if (partitions > config.levels().count()) {
      log.warn("delay topic has {} partitions for {} levels; records on the extra partitions are re-routed at once",
          partitions, config.levels().count());
    }
  }
}
