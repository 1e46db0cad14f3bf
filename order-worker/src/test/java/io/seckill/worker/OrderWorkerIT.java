package io.seckill.worker;

import static io.seckill.platform.testing.Await.await;
import static io.seckill.worker.Fixture.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.inventory.StockSnapshot;
import io.seckill.platform.config.Settings;
import io.seckill.platform.contract.DeadLetters;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.Sale;
import io.seckill.platform.testing.Await;
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

      eventually(
          DRAIN,
          "10,000 rows and offsets committed to the end",
          () -> f.rows(saleId) == 10_000 && f.committedToTheEnd(config.group()));
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(10_000);
      assertThat(worker.stats().ordersInserted()).isEqualTo(10_000);
      // Deadlines travel in bulk: every order's deadline is on the delay topic, in a few records
      // per batch.
      List<ConsumerRecord<String, byte[]>> deadlines =
          f.readAll(f.servers.topics().delay(), Integer.MAX_VALUE, Duration.ofSeconds(5));
      assertThat(deadlines.size())
          .as("delay records for 10,000 orders")
          .isLessThan(100)
          .isEqualTo(f.records(f.servers.topics().delay()));
      assertThat(
              deadlines.stream()
                  .flatMap(r -> DeadlineMessage.parseAll(r.value()).stream())
                  .map(DeadlineMessage::orderId)
                  .distinct()
                  .count())
          .isEqualTo(10_000);
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
      eventually(
          DRAIN,
          "first pass",
          () -> f.rows(saleId) == 10_000 && f.committedToTheEnd(config.group()));
      await(first.close());

      f.resetToEarliest(config.group());
      assertThat(f.committedToTheEnd(config.group())).isFalse();
      OrderWorker second = f.startWorker(config);
      eventually(
          DRAIN, "second pass committed to the end", () -> f.committedToTheEnd(config.group()));

      assertThat(f.rows(saleId)).isEqualTo(10_000);
      assertThat(second.stats().duplicates()).isEqualTo(10_000);
      assertThat(second.stats().ordersInserted()).isZero();
      assertThat(second.stats().deadLettered())
          .as("a redelivered order is not another order with the same id")
          .isZero();
      await(second.close());
    }
  }

  @Test
  void
      poison_records_inside_a_bulk_write_go_to_the_dead_letter_topic_with_their_reason_and_the_rest_of_the_batch_is_written() {
    try (Fixture f = new Fixture("poison", Map.of())) {
      long saleId = Fixture.newSaleId();
      Sale sale = f.createSale(saleId, 5_001, true);
      List<OrderMessage> good = f.admit(sale, saleId * 100_000, 5_000);
      // Admitted, but PostgreSQL refuses its text (a NUL byte): the database's verdict on the data
      // itself.
      OrderMessage refused = f.admitOne(sale, saleId * 100_000 + 50_000, "nul\0user");
      OrderMessage neverAdmitted =
          new OrderMessage(
              saleId * 100_000 + 99_999, saleId, "stranger", 1, System.currentTimeMillis(), 600);
      // A sale that exists nowhere: no foreign key stops it, the claim does (no reservation, no
      // row).
      long noSuchSale = Fixture.newSaleId();
      OrderMessage ofNoSale =
          new OrderMessage(
              noSuchSale * 100_000, noSuchSale, "stranger", 1, System.currentTimeMillis(), 600);

      f.send(good.subList(0, 2_500));
      f.sendRaw("junk", "{not json at all");
      f.send(List.of(refused, neverAdmitted, ofNoSale));
      f.send(good.subList(2_500, 5_000));
      WorkerConfig config = f.workerConfig();
      OrderWorker worker = f.startWorker(config);

      eventually(
          DRAIN,
          "all processed and committed",
          () -> f.rows(saleId) >= 5_000 && f.committedToTheEnd(config.group()));
      List<ConsumerRecord<String, byte[]>> dead =
          f.readAll(f.servers.topics().deadLetter(), 4, Duration.ofSeconds(30));
      assertThat(dead).hasSize(4);
      assertThat(reasonOf(dead, "junk")).startsWith("unparseable");
      assertThat(reasonOf(dead, Long.toString(refused.orderId()))).contains("SQLSTATE 22");
      assertThat(reasonOf(dead, Long.toString(neverAdmitted.orderId()))).startsWith("no admission");
      assertThat(reasonOf(dead, Long.toString(ofNoSale.orderId()))).startsWith("no admission");
      assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC))
          .isEqualTo(f.servers.topics().orders());
      assertThat(f.rows(saleId))
          .as("the batch's other 5,000 orders are rows, the refused one is not")
          .isEqualTo(5_000);
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(5_000);
      assertThat(f.rows(noSuchSale)).as("no row without a sale").isZero();
      assertThat(f.stock(saleId).stock()).as("the refused order's stock is returned").isEqualTo(1);
      assertThat(f.stock(saleId).reservations()).isZero();
      assertThat(worker.stats().deadLettered()).isEqualTo(4);
      await(worker.close());
    }
  }

  @Test
  void
      an_order_whose_id_another_order_already_holds_is_dead_lettered_loudly_and_its_stock_returned() {
    try (Fixture f = new Fixture("id collision", Map.of())) {
      long saleA = Fixture.newSaleId();
      long saleB = Fixture.newSaleId();
      Sale a = f.createSale(saleA, 3, true);
      Sale b = f.createSale(saleB, 1, true);
      long x = saleA * 100_000 + 1;
      OrderMessage first = f.admitOne(a, x, "first-buyer");
      OrderMessage neighbour = f.admitOne(a, x + 1, "neighbour");
      f.send(List.of(first, neighbour));
      WorkerConfig config = f.workerConfig();
      OrderWorker worker = f.startWorker(config);
      eventually(
          DRAIN,
          "the first two rows",
          () -> f.rows(saleA) == 2 && f.committedToTheEnd(config.group()));

      // Two gateways that shared an id space: the same id for another sale and for another buyer of
      // the same sale.
      // Same partition (key = id), likely one batch: they must not pass for duplicates of each
      // other either.
      OrderMessage otherSale = f.admitOne(b, x, "other-sale-buyer");
      OrderMessage otherBuyer = f.admitOne(a, x, "other-buyer");
      f.send(List.of(otherSale, otherBuyer));
      eventually(DRAIN, "the two records processed", () -> f.committedToTheEnd(config.group()));
      // The first order delivered again (a gateway's sweeper re-sending it): still a silent no-op.
      f.send(List.of(first));
      eventually(DRAIN, "the redelivery processed", () -> f.committedToTheEnd(config.group()));

      List<ConsumerRecord<String, byte[]>> dead =
          f.readAll(f.servers.topics().deadLetter(), 2, Duration.ofSeconds(30));
      assertThat(dead)
          .hasSize(2)
          .allSatisfy(
              r -> {
                assertThat(r.key()).isEqualTo(Long.toString(x));
                assertThat(header(r, DeadLetters.REASON))
                    .contains("already taken by another order")
                    .contains("first-buyer");
              });
      assertThat(dead)
          .extracting(r -> OrderMessage.parse(r.value()).userId())
          .containsExactlyInAnyOrder("other-sale-buyer", "other-buyer");
      assertThat(f.rows(saleA)).isEqualTo(2);
      assertThat(f.rows(saleB)).isZero();
      assertThat(f.ownerOf(x)).isEqualTo("first-buyer");
      assertThat(f.stock(saleB).stock())
          .as("stock of the order from the other sale returned")
          .isEqualTo(1);
      assertThat(f.stock(saleA).stock())
          .as("stock of the other buyer's order returned")
          .isEqualTo(1);
      assertThat(f.stock(saleA).reservations()).isZero();
      assertThat(f.stock(saleB).reservations()).isZero();
      assertThat(worker.stats().rejected()).isEqualTo(2);
      assertThat(worker.stats().deadLettered())
          .as("the redelivered first order is not dead-lettered")
          .isEqualTo(2);
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
      // Commits far apart, so the kill lands on finished-but-uncommitted work as well as on batches
      // in flight.
      WorkerConfig lazy =
          WorkerConfig.from(
              f.env.with(
                  Map.of(
                      Settings.WORKER_BATCH_SIZE.env(),
                      "500",
                      Settings.WORKER_COMMIT_EVERY.env(),
                      Integer.toString(Integer.MAX_VALUE),
                      Settings.WORKER_COMMIT_INTERVAL_MS.env(),
                      Long.toString(Duration.ofMinutes(10).toMillis()))));
      OrderWorker doomed = f.startWorker(lazy);
      eventually(DRAIN, "some rows", () -> f.rows(saleId) >= 2_000);
      await(doomed.halt());
      long before = f.rows(saleId);
      assertThat(before).isLessThan(n);
      assertThat(f.committed(config.group(), f.servers.topics().orders()).values())
          .allMatch(o -> o == 0);

      OrderWorker restarted = f.startWorker(config);
      eventually(
          DRAIN,
          "every row and offsets committed",
          () -> f.rows(saleId) == n && f.committedToTheEnd(config.group()));
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(n);
      assertThat(restarted.stats().duplicates())
          .as("re-delivered records")
          .isGreaterThanOrEqualTo(before);
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
      eventually(
          DRAIN,
          "every row and offsets committed",
          () -> f.rows(saleId) == n && f.committedToTheEnd(config.group()));
      assertThat(f.rows(saleId, "PENDING_PAYMENT")).isEqualTo(n);
      assertThat(restarted.stats().ordersInserted() + restarted.stats().duplicates())
          .isGreaterThanOrEqualTo(n - before);
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
      WorkerConfig viaProxy =
          WorkerConfig.from(
              f.env
                  .with(Settings.PG_URI, proxiedUri(f, proxy.port()))
                  .with(Settings.WORKER_MAX_BACKOFF_MS, 1000));
      OrderWorker worker = f.startWorker(viaProxy);

      f.send(orders.subList(0, 5_000));
      eventually(
          DRAIN,
          "first half",
          () -> f.rows(saleId) == 5_000 && f.committedToTheEnd(direct.group()));

      proxy.cut();
      f.send(orders.subList(5_000, 10_000));
      Await.sleep(5_000);
      assertThat(f.rows(saleId)).as("nothing written while the database is away").isEqualTo(5_000);
      assertThat(worker.stats().retries()).isPositive();
      assertThat(f.committedToTheEnd(direct.group())).isFalse();

      proxy.restore();
      eventually(
          DRAIN,
          "second half after the database came back",
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
    return "postgresql://"
        + o.getUser()
        + ":"
        + o.getPassword()
        + "@127.0.0.1:"
        + port
        + "/"
        + o.getDatabase();
  }

  private static String reasonOf(List<ConsumerRecord<String, byte[]>> dead, String key) {
    return dead.stream()
        .filter(r -> key.equals(r.key()))
        .findFirst()
        .map(r -> header(r, DeadLetters.REASON))
        .orElseThrow(() -> new AssertionError("no dead letter for key " + key));
  }

  private static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
