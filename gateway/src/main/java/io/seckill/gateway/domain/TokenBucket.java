package io.seckill.gateway.domain;

/** A token bucket; thread-safe, since every event loop shares the buckets of a user or an IP. */
public final class TokenBucket {
  private final double ratePerNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  public TokenBucket(double ratePerSecond, int capacity, long nowNanos) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** 0 if a token was taken; otherwise the seconds until one will be there (for Retry-After). */
  public synchronized long tryTake(long nowNanos) {
    tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * ratePerNano);
    lastNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano / 1e9));
  }
}
