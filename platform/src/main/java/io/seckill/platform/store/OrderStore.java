package io.seckill.platform.store;

import io.seckill.platform.contract.OrderMessage;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Orders in PostgreSQL: idempotent batch writes and the compare-and-set transitions of docs/SPEC.md
 * §3.
 */
public final class OrderStore {

  /** A persisted, unpaid order and the moment it must be paid by. */
  public record Deadline(long orderId, long saleId, Instant expiresAt) {}

  /** An order whose stock goes back to Redis (cancelled or rejected). */
  public record Released(long orderId, long saleId, String userId, int quantity) {}

  private final Pool pool;
  private final Duration timeout;

  public OrderStore(Pool pool, Duration timeout) {
    this.pool = pool;
    this.timeout = timeout;
  }

  /**
   * The payment deadline of each order of a batch created at createdAt. A worker schedules these on
   * the delay topic before it inserts the rows, so a worker dying in between can never leave an
   * unpaid row without a deadline.
   */
  public static List<Deadline> deadlines(List<OrderMessage> batch, Instant createdAt) {
    List<Deadline> out = new ArrayList<>(batch.size());
    for (OrderMessage m : batch)
      out.add(
          new Deadline(m.orderId(), m.saleId(), createdAt.plusSeconds(m.paymentTimeoutSeconds())));
    return out;
  }

  /**
   * Inserts a batch created at createdAt (ids already taken are skipped); returns the ids of the
   * rows it created.
   */
  public Future<List<Long>> insertBatch(List<OrderMessage> batch, Instant createdAt) {
    int n = batch.size();
    Long[] ids = new Long[n];
    Long[] sales = new Long[n];
    String[] users = new String[n];
    Integer[] quantities = new Integer[n];
    OffsetDateTime[] admitted = new OffsetDateTime[n];
    OffsetDateTime[] expires = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      OrderMessage m = batch.get(i);
      ids[i] = m.orderId();
      sales[i] = m.saleId();
      users[i] = m.userId();
      quantities[i] = m.quantity();
      admitted[i] = Instant.ofEpochMilli(m.admittedAtMillis()).atOffset(ZoneOffset.UTC);
      expires[i] = createdAt.plusSeconds(m.paymentTimeoutSeconds()).atOffset(ZoneOffset.UTC);
    }
    Tuple args =
        Tuple.tuple()
            .addArrayOfLong(ids)
            .addArrayOfLong(sales)
            .addArrayOfString(users)
            .addArrayOfInteger(quantities)
            .addArrayOfOffsetDateTime(admitted)
            .addArrayOfOffsetDateTime(expires);
    return query(Sql.INSERT_ORDERS, args).map(rows -> list(rows, r -> r.getLong("id")));
  }

  /**
   * The order a row belongs to: what tells the same order delivered again from another order under
   * the same id.
   */
  public record Owner(
      long orderId, long saleId, String userId, int quantity, long admittedAtMillis) {
    public boolean isSameOrderAs(OrderMessage m) {
      return orderId == m.orderId()
          && saleId == m.saleId()
          && userId.equals(m.userId())
          && quantity == m.quantity()
          && admittedAtMillis == m.admittedAtMillis();
    }
  }

  /** The rows holding these ids, if any. */
  public Future<List<Owner>> owners(List<Long> ids) {
    return query(Sql.SELECT_OWNERS, Tuple.of(ids.toArray(Long[]::new)))
        .map(
            rows ->
                list(
                    rows,
                    r ->
                        new Owner(
                            r.getLong("id"),
                            r.getLong("sale_id"),
                            r.getString("user_id"),
                            r.getInteger("quantity"),
                            r.getOffsetDateTime("admitted_at").toInstant().toEpochMilli())));
  }

  public Future<Void> insertRejected(OrderMessage m, String reason) {
    return query(
            Sql.INSERT_REJECTED,
            Tuple.of(
                m.orderId(),
                m.saleId(),
                m.userId(),
                m.quantity(),
                Instant.ofEpochMilli(m.admittedAtMillis()).atOffset(ZoneOffset.UTC),
                reason))
        .mapEmpty();
  }

  public Future<Optional<Order>> find(long id) {
    return query(Sql.SELECT_ORDER, Tuple.of(id))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(order(rows.iterator().next())));
  }

  /** The rows among ids (orders still queued or unknown have none). */
  public Future<List<Order>> findAll(List<Long> ids) {
    return query(Sql.SELECT_ORDERS, Tuple.of(ids.toArray(Long[]::new)))
        .map(rows -> list(rows, OrderStore::order));
  }

  /**
   * True if this call moved the order from PENDING_PAYMENT (at this version, before its deadline)
   * to PAID.
   */
  public Future<Boolean> pay(long id, int version, String paymentRef) {
    return query(Sql.PAY_ORDER, Tuple.of(id, version, paymentRef))
        .map(rows -> rows.rowCount() == 1);
  }

  /** True if this call moved the order from PENDING_PAYMENT (at this version) to CANCELLED. */
  public Future<Boolean> cancelByUser(long id, int version) {
    return query(Sql.CANCEL_ORDER_BY_USER, Tuple.of(id, version)).map(rows -> rows.rowCount() == 1);
  }

  /** Cancels the due, unpaid orders among ids; returns exactly those this call cancelled. */
  public Future<List<Released>> cancelExpired(List<Long> ids) {
    return query(Sql.CANCEL_EXPIRED, Tuple.of(ids.toArray(Long[]::new)))
        .map(rows -> list(rows, OrderStore::released));
  }

  /**
   * The cancelled or rejected orders among ids (their stock return is idempotent and may be
   * repeated).
   */
  public Future<List<Released>> released(List<Long> ids) {
    return query(Sql.SELECT_RELEASED, Tuple.of(ids.toArray(Long[]::new)))
        .map(rows -> list(rows, OrderStore::released));
  }

  /** The still-unpaid orders among ids, with their deadlines. */
  public Future<List<Deadline>> pendingDeadlines(List<Long> ids) {
    return query(Sql.SELECT_PENDING_DEADLINES, Tuple.of(ids.toArray(Long[]::new)))
        .map(rows -> list(rows, OrderStore::deadline));
  }

  /** Orders and units of a sale by status. */
  public Future<Map<OrderStatus, long[]>> countByStatus(long saleId) {
    return query(Sql.COUNT_BY_STATUS, Tuple.of(saleId))
        .map(
            rows -> {
              Map<OrderStatus, long[]> out = new EnumMap<>(OrderStatus.class);
              rows.forEach(
                  r ->
                      out.put(
                          OrderStatus.valueOf(r.getString("status")),
                          new long[] {r.getLong("orders"), r.getLong("units")}));
              return out;
            });
  }

  /** Facts about a sale's rows that must all be zero (docs/SPEC.md §5, invariants 3, 5, 6). */
  public record AuditFacts(
      long paidAndCancelled,
      long overdueUnpaid,
      long lateCancellations,
      long rejectedWithoutReason,
      long usersOverLimit) {}

  public Future<AuditFacts> auditFacts(long saleId, long allowedLatenessSeconds) {
    return query(Sql.AUDIT_FACTS, Tuple.of(saleId, allowedLatenessSeconds))
        .map(
            rows -> {
              Row r = rows.iterator().next();
              return new AuditFacts(
                  r.getLong("paid_and_cancelled"),
                  r.getLong("overdue_unpaid"),
                  r.getLong("late_cancellations"),
                  r.getLong("rejected_without_reason"),
                  r.getLong("users_over_limit"));
            });
  }

  /** One row of a sale's order list. */
  public record OrderRef(long orderId, String userId, OrderStatus status) {}

  /** Up to limit orders of the sale with ids above afterId, by id (pass 0 for the first page). */
  public Future<List<OrderRef>> ordersOfSale(long saleId, long afterId, int limit) {
    return query(Sql.ORDERS_OF_SALE_PAGE, Tuple.of(saleId, afterId, limit))
        .map(
            rows ->
                list(
                    rows,
                    r ->
                        new OrderRef(
                            r.getLong("id"),
                            r.getString("user_id"),
                            OrderStatus.valueOf(r.getString("status")))));
  }

  private Future<RowSet<Row>> query(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <T> List<T> list(RowSet<Row> rows, Function<Row, T> mapper) {
    List<T> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(mapper.apply(r)));
    return out;
  }

  private static Deadline deadline(Row r) {
    return new Deadline(
        r.getLong("id"), r.getLong("sale_id"), r.getOffsetDateTime("expires_at").toInstant());
  }

  private static Released released(Row r) {
    return new Released(
        r.getLong("id"), r.getLong("sale_id"), r.getString("user_id"), r.getInteger("quantity"));
  }

  static Order order(Row r) {
    return new Order(
        r.getLong("id"),
        r.getLong("sale_id"),
        r.getString("user_id"),
        r.getInteger("quantity"),
        OrderStatus.valueOf(r.getString("status")),
        r.getInteger("version"),
        r.getOffsetDateTime("expires_at").toInstant(),
        r.getString("payment_ref"),
        r.getString("reason"));
  }
}
