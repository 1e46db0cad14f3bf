package io.seckill.gateway.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's three limits: a global cap on purchases in flight, and token buckets per user and
 * per client IP. Idle buckets are dropped after a minute, so a flood of distinct users costs
 * bounded memory.
 */
public final class RateLimiter {
  /** Per-user buckets kept (≥ 1 GiB heap per gateway is sized for this: README, Sizing). */
  private static final long USER_BUCKETS_KEPT = 2_000_000;

  private static final long IP_BUCKETS_KEPT = 200_000;

  /** A bucket idle this long is full again anyway, so it is dropped. */
  private static final Duration IDLE_BUCKET_TTL = Duration.ofMinutes(1);

  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final double userRate;
  private final int userBurst;
  private final double ipRate;
  private final int ipBurst;
  private final Set<String> exemptIps;
  private final Cache<String, TokenBucket> users;
  private final Cache<String, TokenBucket> ips;

  public RateLimiter(
      int maxInFlight,
      double userRate,
      int userBurst,
      double ipRate,
      int ipBurst,
      Set<String> exemptIps) {
    this.maxInFlight = maxInFlight;
    this.userRate = userRate;
    this.userBurst = userBurst;
    this.ipRate = ipRate;
    this.ipBurst = ipBurst;
    this.exemptIps = exemptIps;
    this.users =
        Caffeine.newBuilder()
            .maximumSize(USER_BUCKETS_KEPT)
            .expireAfterAccess(IDLE_BUCKET_TTL)
            .executor(Runnable::run)
            .build();
    this.ips =
        Caffeine.newBuilder()
            .maximumSize(IP_BUCKETS_KEPT)
            .expireAfterAccess(IDLE_BUCKET_TTL)
            .executor(Runnable::run)
            .build();
  }

  /** Throws rate-limited if the user or the IP has no token left. */
  public void checkBuckets(String userId, String ip) {
    long now = System.nanoTime();
    long wait = users.get(userId, k -> new TokenBucket(userRate, userBurst, now)).tryTake(now);
    if (wait > 0) throw Refusal.RATE_LIMITED.with("too many requests from this user", wait);
    if (ip != null && !exemptIps.contains(ip)) {
      wait = ips.get(ip, k -> new TokenBucket(ipRate, ipBurst, now)).tryTake(now);
      if (wait > 0) throw Refusal.RATE_LIMITED.with("too many requests from this address", wait);
    }
  }

  /**
   * Throws rate-limited if the IP has no token left: anonymous reads draw on the same per-IP bucket
   * as purchases.
   */
  public void checkIp(String ip) {
    if (ip == null || exemptIps.contains(ip)) return;
    long now = System.nanoTime();
    long wait = ips.get(ip, k -> new TokenBucket(ipRate, ipBurst, now)).tryTake(now);
    if (wait > 0) throw Refusal.RATE_LIMITED.with("too many requests from this address", wait);
  }

  /**
   * Takes an in-flight slot or throws rate-limited; the caller must call {@link #done()} exactly
   * once after.
   */
  public void enter() {
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      throw Refusal.RATE_LIMITED.with("the gateway is at its in-flight limit", 1);
    }
  }

  public void done() {
    inFlight.decrementAndGet();
  }
}
