package io.seckill.platform.store;

/** Every SQL statement of Seckill, in one place. */
public final class Sql {
  private Sql() {}

  public static final String INSERT_SALE =
      """
      insert into sales (id, item, initial_stock, price_cents, starts_at, ends_at, per_user_limit, payment_timeout_seconds)
      values ($1, $2, $3, $4, $5, $6, $7, $8)""";

  public static final String SELECT_SALE =
      """
      select id, item, initial_stock, price_cents, starts_at, ends_at, per_user_limit, payment_timeout_seconds
      from sales where id = $1""";

  /** Sales whose reservations may still be in Redis: running or ended within the last day. */
  public static final String SELECT_RECENT_SALES =
      """
      select id, item, initial_stock, price_cents, starts_at, ends_at, per_user_limit, payment_timeout_seconds
      from sales where ends_at > now() - interval '1 day' order by starts_at""";

  /**
   * Idempotent batch insert with each order's deadline decided by the caller (who scheduled it on
   * the delay topic first). Returns the ids of the rows this statement created; the others were
   * there already.
   */
  public static final String INSERT_ORDERS =
      """
      insert into orders (id, sale_id, user_id, quantity, status, admitted_at, expires_at)
      select id, sale_id, user_id, quantity, 'PENDING_PAYMENT', admitted_at, expires_at
      from unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::timestamptz[], $6::timestamptz[])
        as t(id, sale_id, user_id, quantity, admitted_at, expires_at)
      on conflict (id) do nothing
      returning id""";

  /**
   * Who holds each of these order ids: a worker tells a redelivered order from a different order
   * with the same id.
   */
  public static final String SELECT_OWNERS =
      """
      select id, sale_id, user_id, quantity, admitted_at from orders where id = any($1)""";

  /**
   * An admitted order that can never be persisted normally: kept, with its reason, so the audit
   * accounts for it.
   */
  public static final String INSERT_REJECTED =
      """
      insert into orders (id, sale_id, user_id, quantity, status, admitted_at, expires_at, reject_reason)
      values ($1, $2, $3, $4, 'REJECTED', $5, now(), $6)
      on conflict (id) do nothing""";

  public static final String SELECT_ORDER =
      """
      select id, sale_id, user_id, quantity, status, version, expires_at, payment_ref, coalesce(cancel_reason, reject_reason) as reason
      from orders where id = $1""";

  /** Many orders at once: the one poll behind every status stream (SSE) of a gateway. */
  public static final String SELECT_ORDERS =
      """
      select id, sale_id, user_id, quantity, status, version, expires_at, payment_ref, coalesce(cancel_reason, reject_reason) as reason
      from orders where id = any($1)""";

  /** Compare-and-set on version: wins only if nothing moved the order since it was read. */
  public static final String PAY_ORDER =
      """
      update orders set status = 'PAID', version = version + 1, payment_ref = $3, paid_at = now()
      where id = $1 and version = $2 and status = 'PENDING_PAYMENT' and expires_at > now()""";

  /** Compare-and-set on version, for a user's cancellation. */
  public static final String CANCEL_ORDER_BY_USER =
      """
      update orders set status = 'CANCELLED', version = version + 1, cancelled_at = now(), cancel_reason = 'USER'
      where id = $1 and version = $2 and status = 'PENDING_PAYMENT'""";

  /**
   * The deadline, for a batch of orders. Each row's update is a compare-and-set on its status (a
   * concurrent payment waits for the row lock and then no longer matches), so payment and deadline
   * can never both win.
   */
  public static final String CANCEL_EXPIRED =
      """
      update orders set status = 'CANCELLED', version = version + 1, cancelled_at = now(), cancel_reason = 'TIMEOUT'
      where id = any($1) and status = 'PENDING_PAYMENT' and expires_at <= now()
      returning id, sale_id, user_id, quantity""";

  /**
   * Orders of a batch that are cancelled or rejected: their stock return is retried (it is
   * idempotent).
   */
  public static final String SELECT_RELEASED =
      """
      select id, sale_id, user_id, quantity from orders where id = any($1) and status in ('CANCELLED', 'REJECTED')""";

  /**
   * Orders of a batch still waiting for payment, with their deadline (the delay service
   * re-schedules early arrivals).
   */
  public static final String SELECT_PENDING_DEADLINES =
      """
      select id, sale_id, expires_at from orders where id = any($1) and status = 'PENDING_PAYMENT'""";

  public static final String COUNT_BY_STATUS =
      """
      select status, count(*) as orders, coalesce(sum(quantity), 0) as units from orders where sale_id = $1 group by status""";

  /** The audit's PostgreSQL side of a sale in one round trip ($2 = allowed lateness in seconds). */
  public static final String AUDIT_FACTS =
      """
      select
        (select count(*) from orders where sale_id = $1 and paid_at is not null and cancelled_at is not null) as paid_and_cancelled,
        (select count(*) from orders where sale_id = $1 and status = 'PENDING_PAYMENT'
           and expires_at < now() - make_interval(secs => $2)) as overdue_unpaid,
        (select count(*) from orders where sale_id = $1 and status = 'CANCELLED' and cancel_reason = 'TIMEOUT'
           and cancelled_at > expires_at + make_interval(secs => $2)) as late_cancellations,
        (select count(*) from orders where sale_id = $1 and status = 'REJECTED' and reject_reason is null) as rejected_without_reason,
        (select count(*) from (select o.user_id from orders o join sales s on s.id = o.sale_id
           where o.sale_id = $1 and o.status in ('PENDING_PAYMENT', 'PAID')
           group by o.user_id, s.per_user_limit having sum(o.quantity) > s.per_user_limit) x) as users_over_limit""";

  /**
   * One page of a sale's orders after an order id (keyset paging: each page starts where the last
   * ended, so a listing of any size holds one page at a time and no statement reads more than $3
   * rows).
   */
  public static final String ORDERS_OF_SALE_PAGE =
      """
      select id, user_id, status from orders where sale_id = $1 and id > $2 order by id limit $3""";
}
