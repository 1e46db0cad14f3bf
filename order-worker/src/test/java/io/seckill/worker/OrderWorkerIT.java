package io.seckill.worker;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.worker.Fixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.testing.Await;
import io.seckill.inventory.StockSnapshot;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DeadLetters;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Sale;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class OrderWorkerIT {
  private static final Duration DRAIN = Duration.ofSeconds(90);

  @Test
  void ten_thousand_orders_become_ten_thousand_rows_and_offsets_are_committed_to_the_end() {
    try (Fixture f = new Fixture("ten thousand", Map.of())) {
      long saleId = Fixture.newSaleId();
      Sale sale = f.createSale(saleId, 10_000, true);
      f.send(f.admit(sale, saleId * 100_000, 10_000));
      WorkerConfig config = f.workerConfig();
      OrderWorker worker = f.startWorker(config);

      eventually(DRAIN, "10,000 rows and offsets committed to the end",
          () -> f.rows(saleId) == 10_000 && f.committedToTheEnd(config.group()));
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(10_000);
      assertThat(worker.stats().ordersInserted()).isEqualTo(10_000);
      assertThat(f.records(f.servers.topics().delay())).isGreaterThanOrEqualTo(10_000);
      StockSnapshot stock = f.stock(saleId);
      assertThat(stock.stock()).isZero();
      assertThat(stock.reservations()).as("reservations dropped once rows exist").isZero();
      await(worker.close());
    }
  }

  @Test
  void redelivering_the_same_ten_thousand_orders_still_gives_ten_thousand_rows() {
    try (Fixture f = new Fixture("redelivery", Map.of())) {
      long saleId = Fixture.newSaleId();
      Sale sale = f.createSale(saleId, 10_000, true);
      f.send(f.admit(sale, saleId * 100_000, 10_000));
      WorkerConfig config = f.workerConfig();
      OrderWorker first = f.startWorker(config);
      eventually(DRAIN, "first pass", () -> f.rows(saleId) == 10_000 && f.committedToTheEnd(config.group()));
      await(first.close());

      f.resetToEarliest(config.group());
      assertThat(f.committedToTheEnd(config.group())).isFalse();
      OrderWorker second = f.startWorker(config);
      eventually(DRAIN, "second pass committed to the end", () -> f.committedToTheEnd(config.group()));

      assertThat(f.rows(saleId)).isEqualTo(10_000);
      assertThat(second.stats().duplicates()).isEqualTo(10_000);
      assertThat(second.stats().ordersInserted()).isZero();
      await(second.close());
    }
  }

  @Test
  void poison_records_go_to_the_dead_letter_topic_with_their_reason_and_their_neighbours_are_written() {
    try (Fixture f = new Fixture("poison", Map.of())) {
      long saleId = Fixture.newSaleId();
      Sale sale = f.createSale(saleId, 200, true);
      // A sale Redis knows but PostgreSQL does not: its admitted order violates the orders -> sales foreign key.
      long ghostSaleId = Fixture.newSaleId();
      Sale ghost = f.createSale(ghostSaleId, 1, false);
      List<OrderMessage> good = f.admit(sale, saleId * 100_000, 200);
      OrderMessage refused = f.admit(ghost, ghostSaleId * 100_000, 1).get(0);
      OrderMessage neverAdmitted = new OrderMessage(saleId * 100_000 + 999, saleId, "stranger", 1, System.currentTimeMillis(), 600);

      f.send(good.subList(0, 100));
      f.sendRaw("junk", "{not json at all");
      f.send(List.of(refused, neverAdmitted));
      f.send(good.subList(100, 200));
      WorkerConfig config = f.workerConfig();
      OrderWorker worker = f.startWorker(config);

      eventually(DRAIN, "all processed and committed", () -> f.rows(saleId) == 200 && f.committedToTheEnd(config.group()));
      List<ConsumerRecord<String, byte[]>> dead = f.readAll(f.servers.topics().deadLetter(), 3, Duration.ofSeconds(30));
      assertThat(dead).hasSize(3);
      assertThat(reasonOf(dead, "junk")).startsWith("unparseable");
      assertThat(reasonOf(dead, Long.toString(refused.orderId()))).contains("23503");
      assertThat(reasonOf(dead, Long.toString(neverAdmitted.orderId()))).startsWith("no admission");
      assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo(f.servers.topics().orders());
      assertThat(f.rows(ghostSaleId)).as("no row without a sale").isZero();
      assertThat(f.stock(ghostSaleId).stock()).as("the refused order's stock is returned").isEqualTo(1);
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(200);
      assertThat(worker.stats().deadLettered()).isEqualTo(3);
      await(worker.close());
    }
  }

  @Test
  void a_worker_killed_mid_batch_and_restarted_writes_every_row_once() {
    try (Fixture f = new Fixture("killed", Map.of())) {
      long saleId = Fixture.newSaleId();
      int n = 20_000;
      Sale sale = f.createSale(saleId, n, true);
      f.send(f.admit(sale, saleId * 100_000, n));
      WorkerConfig config = f.workerConfig();
      // Commits far apart, so the kill lands on finished-but-uncommitted work as well as on batches in flight.
      WorkerConfig lazy = new WorkerConfig(config.servers(), config.group(), "doomed", config.concurrency(), 500,
          Integer.MAX_VALUE, Duration.ofMinutes(10), config.maxBackoff(), config.closeTimeout(), config.delayLevels());
      OrderWorker doomed = f.startWorker(lazy);
      eventually(DRAIN, "some rows", () -> f.rows(saleId) >= 2_000);
      await(doomed.halt());
      long before = f.rows(saleId);
      assertThat(before).isLessThan(n);
      assertThat(f.committed(config.group(), f.servers.topics().orders()).values()).allMatch(o -> o == 0);

      OrderWorker restarted = f.startWorker(config);
      eventually(DRAIN, "every row and offsets committed", () -> f.rows(saleId) == n && f.committedToTheEnd(config.group()));
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(n);
      assertThat(restarted.stats().duplicates()).as("re-delivered records").isGreaterThanOrEqualTo(before);
      assertThat(f.stock(saleId).reservations()).isZero();
      await(restarted.close());
    }
  }

  @Test
  void a_worker_process_killed_outright_and_restarted_writes_every_row_once() throws Exception {
    try (Fixture f = new Fixture("sigkill", Map.of())) {
      long saleId = Fixture.newSaleId();
      int n = 20_000;
      Sale sale = f.createSale(saleId, n, true);
      f.send(f.admit(sale, saleId * 100_000, n));
      Process victim = f.launchWorkerProcess("256m", ProcessBuilder.Redirect.DISCARD);
      try {
        eventually(DRAIN, "some rows", () -> f.rows(saleId) >= 2_000);
      } finally {
        victim.destroyForcibly();
        victim.waitFor();
      }
      long before = f.rows(saleId);
      assertThat(before).isLessThan(n);

      WorkerConfig config = f.workerConfig();
      OrderWorker restarted = f.startWorker(config);
      eventually(DRAIN, "every row and offsets committed", () -> f.rows(saleId) == n && f.committedToTheEnd(config.group()));
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(n);
      assertThat(restarted.stats().ordersInserted() + restarted.stats().duplicates()).isGreaterThanOrEqualTo(n - before);
      assertThat(f.stock(saleId).reservations()).isZero();
      await(restarted.close());
    }
  }

  @Test
  void postgres_away_for_seconds_is_waited_out_and_nothing_is_lost() {
    try (Fixture f = new Fixture("pg outage", Map.of());
         TcpProxy proxy = TcpProxy.start(f.vertx, pgHost(f), pgPort(f))) {
      long saleId = Fixture.newSaleId();
      Sale sale = f.createSale(saleId, 10_000, true);
      List<OrderMessage> orders = f.admit(sale, saleId * 100_000, 10_000);
      WorkerConfig direct = f.workerConfig();
      WorkerConfig viaProxy = WorkerConfig.from(f.env.with(Settings.PG_URI, proxiedUri(f, proxy.port()))
          .with(Settings.WORKER_MAX_RETRY_MS, 1000));
      OrderWorker worker = f.startWorker(viaProxy);

      f.send(orders.subList(0, 5_000));
      eventually(DRAIN, "first half", () -> f.rows(saleId) == 5_000 && f.committedToTheEnd(direct.group()));

      proxy.cut();
      f.send(orders.subList(5_000, 10_000));
      Await.sleep(5_000);
      assertThat(f.rows(saleId)).as("nothing written while the database is away").isEqualTo(5_000);
      assertThat(worker.stats().retries()).isPositive();
      assertThat(f.committedToTheEnd(direct.group())).isFalse();

      proxy.restore();
      eventually(DRAIN, "second half after the database came back",
          () -> f.rows(saleId) == 10_000 && f.committedToTheEnd(direct.group()));
      assertThat(f.stock(saleId).reservations()).isZero();
      await(worker.close());
    }
  }

  private static String pgHost(Fixture f) {
    return io.vertx.pgclient.PgConnectOptions.fromUri(f.servers.pgUri()).getHost();
  }

  private static int pgPort(Fixture f) {
    return io.vertx.pgclient.PgConnectOptions.fromUri(f.servers.pgUri()).getPort();
  }

  private static String proxiedUri(Fixture f, int port) {
    var o = io.vertx.pgclient.PgConnectOptions.fromUri(f.servers.pgUri());
    return "postgresql://" + o.getUser() + ":" + o.getPassword() + "@127.0.0.1:" + port + "/" + o.getDatabase();
  }

  private static String reasonOf(List<ConsumerRecord<String, byte[]>> dead, String key) {
    return dead.stream().filter(r -> key.equals(r.key())).findFirst()
        .map(r -> header(r, DeadLetters.REASON)).orElseThrow(() -> new AssertionError("no dead letter for key " + key));
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
