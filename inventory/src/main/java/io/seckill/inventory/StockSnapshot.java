package io.seckill.inventory;

/**
 * A sale's stock accounting in Redis. stock + units held by orders == initial, where held =
 * reserved (not yet rows) + PENDING_PAYMENT + PAID; released = units given back before persisting,
 * returned = after (cancel, reject).
 */
public record StockSnapshot(
    boolean exists,
    long initial,
    long stock,
    long reservations,
    long pendingHandoffs,
    long releasedUnits,
    long returnedUnits,
    long returnedOrders) {}
