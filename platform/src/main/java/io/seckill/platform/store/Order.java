package io.seckill.platform.store;

import java.time.Instant;

/** An order row. */
public record Order(
    long id,
    long saleId,
    String userId,
    int quantity,
    OrderStatus status,
    int version,
    Instant expiresAt,
    String paymentRef,
    String reason) {}
