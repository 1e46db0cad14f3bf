package io.seckill.platform.store;

import java.time.Instant;

/** A sale as stored; its live state (stock left, sold out) comes from Redis. */
public record Sale(
    long id,
    String item,
    int initialStock,
    long priceCents,
    Instant startsAt,
    Instant endsAt,
    int perUserLimit,
    int paymentTimeoutSeconds) {

  public enum State {
    UPCOMING,
    ACTIVE,
    SOLD_OUT,
    ENDED
  }

  public State stateAt(Instant now, long stockLeft) {
    if (now.isBefore(startsAt)) return State.UPCOMING;
    if (!now.isBefore(endsAt)) return State.ENDED;
    return stockLeft <= 0 ? State.SOLD_OUT : State.ACTIVE;
  }
}
