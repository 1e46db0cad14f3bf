package io.seckill.worker;

import io.seckill.inventory.Handoff;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.store.OrderStore;
import io.seckill.platform.store.OrderStore.Deadline;
import io.seckill.platform.store.OrderStore.Owner;
import io.seckill.worker.Batch.Entry;
import io.seckill.worker.Outbox.DeadLetter;
import io.seckill.worker.WorkerStats.Step;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one batch into rows: dead-letter what cannot be parsed, claim every order in Redis (the
 * arbiter between "persist" and "the gateway gave the stock back"), schedule the claimed orders'
 * payment deadlines, insert them in one statement, then drop their reservations. Deadlines go
 * first: a worker dying between the two steps then leaves at worst a deadline without a row (the
 * delay service finds nothing to cancel, or a later deadline and re-schedules), never an unpaid row
 * whose deadline waits for a rebalance and fires late. Every step is idempotent and retried until
 * it succeeds, so a batch either finishes completely or is re-delivered and done again with the
 * same result.
 */
final class BatchProcessor {
  private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);
  private static final Comparator<OrderMessage> BY_ORDER_ID =
      Comparator.comparingLong(OrderMessage::orderId);

  private final Stock stock;
  private final OrderRows rows;
  private final Outbox outbox;
  private final Retrier retrier;
  private final WorkerStats stats;

  BatchProcessor(Stock stock, OrderRows rows, Outbox outbox, Retrier retrier, WorkerStats stats) {
    this.stock = stock;
    this.rows = rows;
    this.outbox = outbox;
    this.retrier = retrier;
    this.stats = stats;
  }

  /**
   * A Lua script holds Redis for its whole run, gateways' admissions included, so a big batch is
   * claimed and forgotten in scripts of at most this many orders (a few milliseconds each) while
   * PostgreSQL still gets one INSERT.
   */
  static final int SCRIPT_CHUNK = 1000;

  /** Order ids named in one log line; the rest are counted. */
  private static final int LOGGED_IDS = 20;

  static <T> List<List<T>> chunks(List<T> all) {
    if (all.size() <= SCRIPT_CHUNK) return List.of(all);
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += SCRIPT_CHUNK)
      out.add(all.subList(i, Math.min(all.size(), i + SCRIPT_CHUNK)));
    return out;
  }

  /**
   * Succeeds when the batch is finished; fails only when the worker stops (CancellationException).
   */
  Future<Void> process(Batch batch) {
    return process(List.of(batch));
  }

  /**
   * Several partitions' batches as one write: one claim and one forget per sale, one INSERT, one
   * deadline record per sale. Each partition's records keep their order. Succeeds when all are
   * finished; fails only when the worker stops (CancellationException).
   */
  Future<Void> process(List<Batch> batches) {
    List<Entry> entries;
    if (batches.size() == 1) entries = batches.get(0).entries();
    else {
      entries = new ArrayList<>();
      for (Batch b : batches) entries.addAll(b.entries());
    }
    return run(Batch.describe(batches), entries).onSuccess(v -> stats.batch());
  }

  /**
   * A batch holding two different orders under one id (two gateways that shared an id space) is
   * written in passes, one order per id each, so the later one meets the earlier one's row and is
   * dead-lettered instead of vanishing here.
   */
  private Future<Void> run(String batch, List<Entry> entries) {
    Run r = new Run(batch, entries);
    return r.start()
        .compose(
            v -> r.sameIdLater.isEmpty() ? Future.succeededFuture() : run(batch, r.sameIdLater));
  }

  /** One batch's way through the steps. */
  private final class Run {
    /** What the log names: the batches' partitions and offsets. */
    private final String batch;

    private final List<Entry> entries;

    /** Different orders under an id already in this run: the next pass. */
    private final List<Entry> sameIdLater = new ArrayList<>();

    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final Map<Long, Entry> byOrder = new LinkedHashMap<>();
    private final Map<Long, List<OrderMessage>> bySale = new LinkedHashMap<>();
    private final List<OrderMessage> persist = new ArrayList<>();
    private final Set<Long> firstClaims = new HashSet<>();
    private int poisonedFirstClaims;

    /**
     * One creation time for the batch: the deadlines scheduled and the rows inserted agree on
     * expires_at.
     */
    private final Instant createdAt = Instant.now();

    Run(String batch, List<Entry> entries) {
      this.batch = batch;
      this.entries = entries;
    }

    Future<Void> start() {
      int sameOrderTwice = 0;
      for (Entry e : entries) {
        if (e.order() == null) {
          deadLetters.add(new DeadLetter(e.record(), "unparseable: " + e.malformed()));
          log.warn(
              "record {}-{}@{} is not an order, dead-lettered: {}",
              e.record().topic(),
              e.record().partition(),
              e.record().offset(),
              e.malformed());
        } else if (byOrder.containsKey(e.order().orderId())) {
          // The gateway's sweeper may re-send an order that did arrive; once per batch is enough.
          if (byOrder.get(e.order().orderId()).order().equals(e.order())) sameOrderTwice++;
          else sameIdLater.add(e);
        } else {
          byOrder.put(e.order().orderId(), e);
          bySale.computeIfAbsent(e.order().saleId(), s -> new ArrayList<>()).add(e.order());
        }
      }
      stats.duplicates(sameOrderTwice);
      return timed(Step.CLAIM, this::claimAll)
          .compose(
              v ->
                  deadLetters.isEmpty()
                      ? Future.succeededFuture()
                      : retrier
                          .run(
                              () -> "dead-lettering " + deadLetters.size() + " records of " + batch,
                              () -> outbox.deadLetter(deadLetters))
                          .onSuccess(x -> stats.deadLettered(deadLetters.size())))
          .compose(
              v -> timed(Step.DEADLINES, () -> schedule(OrderStore.deadlines(persist, createdAt))))
          .compose(
              v ->
                  timed(
                      Step.INSERT,
                      () -> {
                        // Key order: neighbouring rows land on neighbouring index pages instead of
                        // all over the primary key.
                        persist.sort(BY_ORDER_ID);
                        return insertIsolating(persist);
                      }))
          .compose(v -> timed(Step.FORGET, this::forgetAll))
          .onSuccess(
              v -> {
                stats.inserted(firstClaims.size() - poisonedFirstClaims);
              });
    }

    private <T> Future<T> timed(Step step, Supplier<Future<T>> work) {
      long start = System.nanoTime();
      return work.get().onComplete(ar -> stats.spent(step, System.nanoTime() - start));
    }

    private Future<Void> claimAll() {
      List<Future<Void>> claims = new ArrayList<>(bySale.size());
      bySale.forEach(
          (sale, orders) -> {
            for (List<OrderMessage> chunk : chunks(orders)) claims.add(claim(sale, chunk));
          });
      return Future.all(claims).mapEmpty();
    }

    private Future<Void> claim(long saleId, List<OrderMessage> orders) {
      List<Long> ids = orders.stream().map(OrderMessage::orderId).toList();
      return retrier
          .run(
              () -> "claim of " + ids.size() + " orders of sale " + saleId + " in " + batch,
              () -> stock.claim(saleId, ids))
          .map(
              outcomes -> {
                List<Long> released = new ArrayList<>();
                for (int i = 0; i < orders.size(); i++) {
                  OrderMessage m = orders.get(i);
                  Handoff h = outcomes.get(i);
                  switch (h) {
                    case CLAIMED -> {
                      firstClaims.add(m.orderId());
                      persist.add(m);
                    }
                    case SETTLED -> {
                      stats.duplicates(1);
                      persist.add(m);
                    }
                    case RELEASED -> released.add(m.orderId());
                    case UNKNOWN -> {
                      deadLetters.add(
                          new DeadLetter(
                              byOrder.get(m.orderId()).record(),
                              "no admission: order "
                                  + m.orderId()
                                  + " has no reservation in sale "
                                  + saleId));
                      log.warn(
                          "order {} of sale {} has no admission in Redis, dead-lettered",
                          m.orderId(),
                          saleId);
                    }
                  }
                }
                if (!released.isEmpty()) {
                  stats.releasedSkipped(released.size());
                  log.warn(
                      "{} orders of sale {} were released by the gateway before delivery, not persisted: {}",
                      released.size(),
                      saleId,
                      released.size() <= LOGGED_IDS
                          ? released
                          : released.subList(0, LOGGED_IDS) + "...");
                }
                return null;
              });
    }

    /**
     * One INSERT for the lot; if the database refuses the data itself, halve until the offending
     * order stands alone, so one bad record costs about 2·log2(batch) statements and its neighbours
     * are still written.
     */
    private Future<Void> insertIsolating(List<OrderMessage> orders) {
      if (orders.isEmpty()) return Future.succeededFuture();
      return retrier
          .run(
              () ->
                  "insert of "
                      + orders.size()
                      + " orders (first "
                      + orders.get(0).orderId()
                      + ") of "
                      + batch,
              () -> rows.insert(orders, createdAt))
          .compose(
              created ->
                  created.size() == orders.size()
                      ? Future.<Void>succeededFuture()
                      : checkSkipped(orders, created))
          .recover(
              e -> {
                if (!Failures.isPoison(e)) return Future.failedFuture(e);
                if (orders.size() == 1) return reject(orders.get(0), Failures.reason(e));
                int half = orders.size() / 2;
                return insertIsolating(orders.subList(0, half))
                    .compose(left -> insertIsolating(orders.subList(half, orders.size())));
              });
    }

    /**
     * An id the insert skipped is either this very order, written before (a redelivery: nothing to
     * do), or another order that got the same id (two gateways with one id space): that one is
     * never silently dropped.
     */
    private Future<Void> checkSkipped(List<OrderMessage> orders, List<Long> created) {
      Set<Long> fresh = new HashSet<>(created);
      Map<Long, OrderMessage> skipped = new LinkedHashMap<>();
      for (OrderMessage m : orders) if (!fresh.contains(m.orderId())) skipped.put(m.orderId(), m);
      return retrier
          .run(
              () -> "reading the holders of " + skipped.size() + " skipped ids of " + batch,
              () -> rows.owners(new ArrayList<>(skipped.keySet())))
          .compose(
              owners -> {
                Future<Void> all = Future.succeededFuture();
                for (Owner o : owners) {
                  OrderMessage m = skipped.get(o.orderId());
                  if (!o.isSameOrderAs(m)) all = all.compose(v -> collided(m, o));
                }
                return all;
              });
    }

    /**
     * Another order holds this id: dead letter with the reason, stock back; the order cannot have a
     * row of its own.
     */
    private Future<Void> collided(OrderMessage m, Owner holder) {
      String reason =
          "order id "
              + m.orderId()
              + " already taken by another order (sale "
              + holder.saleId()
              + ", user "
              + holder.userId()
              + "); this one: sale "
              + m.saleId()
              + ", user "
              + m.userId();
      log.error(
          "order {} of sale {} (user {}) REJECTED: its id is already the id of another order of sale {} (user {}); "
              + "dead-lettered and its stock returned",
          m.orderId(),
          m.saleId(),
          m.userId(),
          holder.saleId(),
          holder.userId());
      // No REJECTED row: the id is the other order's primary key.
      return deadLetterThenReturnStock(m, reason, Future::succeededFuture);
    }

    /**
     * Dead letter first (the evidence), then the REJECTED row if the database takes even that, then
     * the stock.
     */
    private Future<Void> reject(OrderMessage m, String reason) {
      log.warn(
          "order {} of sale {} refused by the database, rejecting it and returning its stock: {}",
          m.orderId(),
          m.saleId(),
          reason);
      return deadLetterThenReturnStock(
          m,
          reason,
          () ->
              retrier
                  .run(() -> "REJECTED row of order " + m.orderId(), () -> rows.reject(m, reason))
                  .recover(
                      e -> Failures.isPoison(e) ? Future.succeededFuture() : Future.failedFuture(e))
                  .mapEmpty());
    }

    /**
     * The dead letter (the evidence), then `record` (what else the order leaves behind), then its
     * stock back.
     */
    private Future<Void> deadLetterThenReturnStock(
        OrderMessage m, String reason, Supplier<Future<Void>> record) {
      ConsumerRecord<String, byte[]> source = byOrder.get(m.orderId()).record();
      return retrier
          .run(
              () -> "dead-lettering order " + m.orderId(),
              () -> outbox.deadLetter(List.of(new DeadLetter(source, reason))))
          .compose(v -> record.get())
          .compose(
              v ->
                  retrier.run(
                      () -> "stock return of order " + m.orderId(),
                      () -> stock.returnStock(m.saleId(), m.orderId(), m.userId(), m.quantity())))
          .map(
              returned -> {
                stats.deadLettered(1);
                stats.rejectedOne();
                if (firstClaims.contains(m.orderId())) poisonedFirstClaims++;
                return null;
              });
    }

    private Future<Void> schedule(List<Deadline> deadlines) {
      if (deadlines.isEmpty()) return Future.succeededFuture();
      return retrier
          .run(
              () -> "scheduling " + deadlines.size() + " deadlines of " + batch,
              () -> outbox.schedule(deadlines))
          .onSuccess(v -> stats.deadlinesScheduled(deadlines.size()));
    }

    /**
     * Rows exist (or were rejected and their stock returned): the reservations have served their
     * purpose.
     */
    private Future<Void> forgetAll() {
      Map<Long, List<Long>> ids = new LinkedHashMap<>();
      for (OrderMessage m : persist)
        ids.computeIfAbsent(m.saleId(), s -> new ArrayList<>()).add(m.orderId());
      List<Future<Void>> all = new ArrayList<>(ids.size());
      ids.forEach(
          (sale, orderIds) -> {
            for (List<Long> chunk : chunks(orderIds)) {
              all.add(
                  retrier.run(
                      () -> "forgetting reservations of sale " + sale + " in " + batch,
                      () -> stock.forget(sale, chunk)));
            }
          });
      return Future.all(all).mapEmpty();
    }
  }
}
