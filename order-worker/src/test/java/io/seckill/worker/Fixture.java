package io.seckill.worker;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.platform.testing.Await.sleep;

import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.StockSnapshot;
import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Setting;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.KafkaClients;
import io.seckill.platform.store.Postgres;
import io.seckill.platform.store.Sale;
import io.seckill.platform.store.SaleStore;
import io.seckill.platform.testing.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One integration test's world on the shared dev stack: its own topics and database, a real sale in
 * PostgreSQL and Redis, real admissions, and the checks the issue asks for (rows, committed
 * offsets, dead letters, reservations). Its Vert.x is separate from the worker's, so its pool never
 * shares the worker's (shared pools go by name).
 */
final class Fixture implements AutoCloseable {
  final Env env;
  final Servers servers;
  final Vertx vertx = Vertx.vertx();
  final Pool pool;
  final Redis redis;
  final Inventory inventory;
  final Admin admin;
  final KafkaProducer<String, byte[]> producer;
  private final List<Vertx> workerVertxes = new ArrayList<>();

  Fixture(String testName, Map<String, String> overrides) {
    env = TestServers.env(testName, overrides);
    servers = Servers.from(env);
    pool = Postgres.pool(vertx, servers, "worker-test");
    redis =
        Redis.createClient(
            vertx,
            new RedisOptions()
                .setConnectionString(servers.redisUri())
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(100_000)
                .setMaxWaitingHandlers(100_000));
    inventory = new Inventory(redis, Duration.ofSeconds(30));
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers.kafkaBootstrap()));
    Map<String, Object> p = KafkaClients.producer(servers, "fixture-" + testName);
    p.put("linger.ms", 20);
    p.put("delivery.timeout.ms", 120_000);
    p.put("request.timeout.ms", 30_000);
    producer = new KafkaProducer<>(p);
  }

  WorkerConfig workerConfig() {
    return WorkerConfig.from(env);
  }

  /** A worker on a Vert.x of its own, as a separate process would have. */
  OrderWorker startWorker(WorkerConfig config) {
    Vertx v = Vertx.vertx();
    workerVertxes.add(v);
    OrderWorker w = new OrderWorker(v, config);
    await(w.start());
    return w;
  }

  /**
   * A worker in a JVM of its own (WorkerProcess), configured like this fixture; stdout as given
   * (STATS lines).
   */
  Process launchWorkerProcess(String xmx, ProcessBuilder.Redirect stdout) {
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + xmx,
            "-cp",
            System.getProperty("java.class.path"),
            WorkerProcess.class.getName());
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectOutput(stdout);
    for (Setting s : Settings.all()) pb.environment().put(s.env(), env.get(s));
    try {
      return pb.start();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static long newSaleId() {
    return ThreadLocalRandom.current().nextLong(1, 1L << 40);
  }

  /**
   * A running sale in PostgreSQL and Redis with exactly enough stock for count orders, one per
   * user.
   */
  Sale createSale(long saleId, int stock, boolean inPostgres) {
    Instant now = Instant.now();
    Sale sale =
        new Sale(
            saleId,
            "item " + saleId,
            stock,
            1999,
            now.minusSeconds(60),
            now.plus(Duration.ofHours(2)),
            1,
            600);
    if (inPostgres) await(new SaleStore(pool, Duration.ofSeconds(30)).insert(sale));
    await(inventory.loadSale(sale));
    return sale;
  }

  /**
   * Admits count orders through the real admission script; returns their messages, as the gateway
   * would send them.
   */
  List<OrderMessage> admit(Sale sale, long firstOrderId, int count) {
    List<OrderMessage> out = new ArrayList<>(count);
    int chunk = 2000;
    for (int from = 0; from < count; from += chunk) {
      List<Future<Admission>> admissions = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + chunk); i++) {
        admissions.add(
            inventory.admit(sale.id(), firstOrderId + i, "u" + (firstOrderId + i), 1, null));
      }
      await(Future.all(admissions));
      for (int i = 0; i < admissions.size(); i++) {
        Admission a = admissions.get(i).result();
        if (a.outcome() != Admission.Outcome.OK)
          throw new IllegalStateException("admission refused: " + a);
        long id = firstOrderId + from + i;
        out.add(
            new OrderMessage(
                id, sale.id(), "u" + id, 1, a.admittedAtMillis(), sale.paymentTimeoutSeconds()));
      }
    }
    return out;
  }

  /** One order of the given user through the real admission script. */
  OrderMessage admitOne(Sale sale, long orderId, String userId) {
    Admission a = await(inventory.admit(sale.id(), orderId, userId, 1, null));
    if (a.outcome() != Admission.Outcome.OK)
      throw new IllegalStateException("admission refused: " + a);
    return new OrderMessage(
        orderId, sale.id(), userId, 1, a.admittedAtMillis(), sale.paymentTimeoutSeconds());
  }

  /**
   * The benchmark's shortcut: the reservations admit.lua would leave (same hash, same JSON),
   * written 1000 per HSET, without the per-order script. The claim and forget scripts then see
   * exactly what they would after admissions.
   */
  List<OrderMessage> reserveDirectly(Sale sale, long firstOrderId, int count) {
    List<OrderMessage> out = new ArrayList<>(count);
    long now = System.currentTimeMillis();
    List<Future<io.vertx.redis.client.Response>> writes = new ArrayList<>();
    for (int from = 0; from < count; from += 1000) {
      io.vertx.redis.client.Request hset =
          io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.HSET)
              .arg(io.seckill.inventory.RedisKeys.reservations(sale.id()));
      for (int i = from; i < Math.min(count, from + 1000); i++) {
        long id = firstOrderId + i;
        hset.arg(Long.toString(id))
            .arg(
                new io.vertx.core.json.JsonObject()
                    .put("u", "u" + id)
                    .put("q", 1)
                    .put("t", now)
                    .put("k", "")
                    .encode());
        out.add(new OrderMessage(id, sale.id(), "u" + id, 1, now, sale.paymentTimeoutSeconds()));
      }
      writes.add(redis.send(hset));
    }
    await(Future.all(writes));
    return out;
  }

  void send(List<OrderMessage> orders) {
    for (OrderMessage m : orders)
      producer.send(
          new ProducerRecord<>(servers.topics().orders(), Long.toString(m.orderId()), m.toBytes()));
    producer.flush();
  }

  void sendRaw(String key, String value) {
    producer.send(
        new ProducerRecord<>(
            servers.topics().orders(), key, value.getBytes(StandardCharsets.UTF_8)));
    producer.flush();
  }

  long rows(long saleId) {
    return await(
            pool.preparedQuery("select count(*) from orders where sale_id = $1")
                .execute(Tuple.of(saleId)))
        .iterator()
        .next()
        .getLong(0);
  }

  long rows(long saleId, String status) {
    return await(
            pool.preparedQuery("select count(*) from orders where sale_id = $1 and status = $2")
                .execute(Tuple.of(saleId, status)))
        .iterator()
        .next()
        .getLong(0);
  }

  /** The user of the row holding this order id. */
  String ownerOf(long orderId) {
    return await(
            pool.preparedQuery("select user_id from orders where id = $1")
                .execute(Tuple.of(orderId)))
        .iterator()
        .next()
        .getString(0);
  }

  long allRows() {
    return await(pool.query("select count(*) from orders").execute()).iterator().next().getLong(0);
  }

  StockSnapshot stock(long saleId) {
    return await(inventory.snapshot(saleId));
  }

  Map<TopicPartition, Long> endOffsets(String topic) {
    try {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> q = new HashMap<>();
      for (int p = 0; p < partitions; p++) q.put(new TopicPartition(topic, p), OffsetSpec.latest());
      Map<TopicPartition, Long> out = new HashMap<>();
      admin.listOffsets(q).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  long records(String topic) {
    return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
  }

  /** The group's committed offsets, with 0 for partitions it never committed. */
  Map<TopicPartition, Long> committed(String group, String topic) {
    try {
      Map<TopicPartition, OffsetAndMetadata> c =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<TopicPartition, Long> out = new HashMap<>();
      endOffsets(topic)
          .keySet()
          .forEach(tp -> out.put(tp, c.get(tp) == null ? 0L : c.get(tp).offset()));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  boolean committedToTheEnd(String group) {
    String topic = servers.topics().orders();
    return committed(group, topic).equals(endOffsets(topic));
  }

  /** Rewinds the group to the start of every partition (the group must have no members). */
  void resetToEarliest(String group) {
    String topic = servers.topics().orders();
    Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
    endOffsets(topic).keySet().forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
    try {
      admin.alterConsumerGroupOffsets(group, zero).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  List<ConsumerRecord<String, byte[]>> readAll(String topic, int atLeast, Duration timeout) {
    Map<String, Object> c =
        KafkaClients.consumer(
            servers, "reader-" + ThreadLocalRandom.current().nextLong(), "reader");
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (out.size() < atLeast && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  static void eventually(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline)
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      sleep(100);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
    for (Vertx v : workerVertxes) await(v.close());
    redis.close();
    await(pool.close());
    await(vertx.close());
  }
}
