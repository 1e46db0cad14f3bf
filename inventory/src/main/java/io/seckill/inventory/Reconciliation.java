package io.seckill.inventory;

import java.util.List;

/**
 * What reconcile.lua found and set when it rebuilt a sale's Redis state from PostgreSQL plus the
 * reservations Redis still held.
 *
 * @param stockBefore the stock Redis had, or "" if the sale was missing there
 * @param liveUnits units held by PENDING_PAYMENT and PAID rows
 * @param reservedUnits units held by reservations that are not rows yet (kept)
 * @param droppedReservations reservations of orders that are rows already (dropped)
 */
public record Reconciliation(
    String stockBefore,
    long stockAfter,
    long liveUnits,
    long reservedUnits,
    long droppedReservations) {

  /** One order row of the sale, as PostgreSQL has it. */
  public record Row(long orderId, String userId, int quantity, String status) {}

  /** The rules of the sale, as PostgreSQL has them, and every one of its rows. */
  public record Input(
      long saleId,
      int initialStock,
      long startsMillis,
      long endsMillis,
      int perUserLimit,
      List<Row> rows) {}
}
