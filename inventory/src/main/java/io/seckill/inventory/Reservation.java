package io.seckill.inventory;

/** Stock held in Redis for an order that is not a row yet. */
public record Reservation(
    long orderId, long saleId, String userId, int quantity, long admittedAtMillis) {}
