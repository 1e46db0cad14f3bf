package io.seckill.delay;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;

import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.PipelinedRedis;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.Sale;
import io.seckill.platform.store.SaleStore;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Real servers for one test, with the state the order workers would have built: sales in PostgreSQL
 * and Redis, orders admitted, claimed, persisted, and their first deadline hop on the delay topic.
 * Each delay service it starts runs on its own Vert.x instance, like a separate process.
 */
final class DelayHarness implements AutoCloseable {
  private static final AtomicLong IDS =
      new AtomicLong(ThreadLocalRandom.current().nextLong(1, 1L << 40));

  /**
   * One order as the test sees it at the end: status, reason and how long after its deadline it was
   * cancelled.
   */
  record OrderRow(long id, String status, String cancelReason, long lateMillis) {}

  final Env env;
  final Servers servers;
  final DelayLevels levels;
  final Vertx vertx = Vertx.vertx();
  final Pool pool;
  final Redis redis;
  final Inventory inventory;
  final OrderStore orders;
  final SaleStore sales;
  private final KafkaProducer<String, byte[]> producer;
  private final DelayTopicWriter worker;
  private final List<Vertx> serviceVertx = new ArrayList<>();

  DelayHarness(String testName, Map<String, String> overrides) {
    this.env = TestServers.env(testName, overrides);
    this.servers = Servers.from(env);
    this.levels = DelayLevels.from(env);
    this.pool =
        PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(8).setName("harness-" + testName))
            .connectingTo(servers.pgOptions())
            .using(vertx)
            .build();
    this.redis =
        new PipelinedRedis(
            Redis.createClient(
                vertx,
                new RedisOptions()
                    .setConnectionString(servers.redisUri())
                    .setMaxWaitingHandlers(4096)));
    this.inventory = new Inventory(redis, Duration.ofSeconds(30));
    this.orders = new OrderStore(pool, Duration.ofSeconds(30));
    this.sales = new SaleStore(pool, Duration.ofSeconds(30));
    this.producer = new KafkaProducer<>(KafkaClients.producer(servers, "harness-" + testName));
    this.worker = new DelayTopicWriter(producer, servers.topics(), levels);
  }

  /** A delay service like `seckill delay-service`, started and holding every level. */
  DelayService startService() {
    Vertx v = Vertx.vertx();
    serviceVertx.add(v);
    DelayService service = new DelayService(v, DelayConfig.from(env));
    await(service.start());
    waitUntil(Duration.ofSeconds(30), () -> service.assignedLevels() == levels.count());
    return service;
  }

  void stop(DelayService service, boolean crash) {
    await(crash ? service.halt() : service.close());
  }

  Sale createSale(int stock, int paymentTimeoutSeconds) {
    long id = IDS.incrementAndGet();
    Sale s =
        new Sale(
            id,
            "phone",
            stock,
            99_900,
            Instant.now().minusSeconds(60),
            Instant.now().plusSeconds(7200),
            1,
            paymentTimeoutSeconds);
    await(sales.insert(s));
    await(inventory.loadSale(s));
    return s;
  }

  /**
   * Orders as the gateway and a worker would make them, one per user, with the given payment
   * timeouts.
   */
  List<Deadline> placeOrders(Sale sale, List<Integer> timeoutSeconds) {
    List<Deadline> deadlines = new ArrayList<>();
    for (int from = 0; from < timeoutSeconds.size(); from += 1000) {
      deadlines.addAll(
          placeChunk(
              sale, timeoutSeconds.subList(from, Math.min(timeoutSeconds.size(), from + 1000))));
    }
    return deadlines;
  }

  private List<Deadline> placeChunk(Sale sale, List<Integer> timeoutSeconds) {
    List<Future<OrderMessage>> admitted = new ArrayList<>();
    for (int timeout : timeoutSeconds) {
      long orderId = IDS.incrementAndGet();
      String user = "user-" + orderId;
      admitted.add(
          inventory
              .admit(sale.id(), orderId, user, 1, null)
              .map(
                  a -> {
                    if (a.outcome() != Admission.Outcome.OK)
                      throw new IllegalStateException("not admitted: " + a);
                    return new OrderMessage(
                        orderId, sale.id(), user, 1, a.admittedAtMillis(), timeout);
                  }));
    }
    List<OrderMessage> chunk = await(Future.all(admitted)).list();
    List<Long> ids = chunk.stream().map(OrderMessage::orderId).toList();
    await(inventory.claim(sale.id(), ids));
    Instant createdAt = Instant.now();
    await(orders.insertBatch(chunk, createdAt));
    List<Deadline> deadlines = OrderStore.deadlines(chunk, createdAt);
    await(inventory.forget(sale.id(), ids));
    return deadlines;
  }

  List<Deadline> placeOrders(Sale sale, int count) {
    List<Integer> timeouts = new ArrayList<>();
    for (int i = 0; i < count; i++) timeouts.add(sale.paymentTimeoutSeconds());
    return placeOrders(sale, timeouts);
  }

  /** The worker's part: the first hop of each deadline onto the delay topic. */
  void schedule(List<Deadline> deadlines) {
    List<DeadlineMessage> messages =
        deadlines.stream()
            .map(d -> new DeadlineMessage(d.orderId(), d.saleId(), Hops.ceilMillis(d.expiresAt())))
            .toList();
    await(worker.schedule(messages));
  }

  /**
   * The first hops as a worker would have written them when it persisted each order, timeoutMillis
   * before its deadline.
   */
  void scheduleAsWrittenBefore(List<Deadline> deadlines, long timeoutMillis) {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (Deadline d : deadlines) {
      long due = Hops.ceilMillis(d.expiresAt());
      acks.add(
          producer.send(
              worker.hop(new DeadlineMessage(d.orderId(), d.saleId(), due), due - timeoutMillis)));
    }
    producer.flush();
    for (var ack : acks) {
      try {
        ack.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  void send(org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Records ever written to the delay topic (first hops, cascades and re-schedules). */
  long delayRecords() {
    String topic = servers.topics().delay();
    try (var consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(
            KafkaClients.consumer(
                servers,
                "harness-count-" + ThreadLocalRandom.current().nextLong(),
                "harness-count"))) {
      List<org.apache.kafka.common.TopicPartition> parts = new ArrayList<>();
      for (int p = 0; p < levels.count(); p++)
        parts.add(new org.apache.kafka.common.TopicPartition(topic, p));
      return consumer.endOffsets(parts, Duration.ofSeconds(30)).values().stream()
          .mapToLong(Long::longValue)
          .sum();
    }
  }

  long stock(long saleId) {
    return await(inventory.stockLeft(saleId)).orElseThrow();
  }

  /**
   * How many orders of the sale had their stock returned (the idempotency set of the return
   * script).
   */
  long returnedOrders(long saleId) {
    return await(
            redis.send(
                Request.cmd(Command.SCARD).arg(io.seckill.inventory.RedisKeys.returned(saleId))))
        .toLong();
  }

  Map<Long, OrderRow> rows(long saleId) {
    var rows =
        await(
            pool.preparedQuery(
                    """
        select id, status, cancel_reason,
               coalesce(extract(epoch from (cancelled_at - expires_at)) * 1000, -1)::bigint as late
        from orders where sale_id = $1""")
                .execute(Tuple.of(saleId)));
    Map<Long, OrderRow> out = new HashMap<>();
    for (Row r : rows)
      out.put(
          r.getLong("id"),
          new OrderRow(
              r.getLong("id"),
              r.getString("status"),
              r.getString("cancel_reason"),
              r.getLong("late")));
    return out;
  }

  long count(long saleId, String status) {
    return await(
            pool.preparedQuery(
                    "select count(*) as n from orders where sale_id = $1 and status = $2")
                .execute(Tuple.of(saleId, status)))
        .iterator()
        .next()
        .getLong("n");
  }

  static void waitUntil(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("condition not met within " + timeout);
      sleep(100);
    }
  }

  @Override
  public void close() {
    producer.close();
    serviceVertx.forEach(v -> await(v.close()));
    await(redis.close());
    await(pool.close());
    await(vertx.close());
  }
}
