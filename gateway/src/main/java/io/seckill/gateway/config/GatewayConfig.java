package io.seckill.gateway.config;

import static io.seckill.platform.config.Ranges.atLeast;
import static io.seckill.platform.config.Ranges.atMost;
import static io.seckill.platform.config.Ranges.between;
import static io.seckill.platform.config.Ranges.notBlank;
import static io.seckill.platform.config.Ranges.notNegative;
import static io.seckill.platform.config.Ranges.positive;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.Set;

/**
 * Everything the gateway reads from its environment, once, at start. The constructor refuses a
 * value out of range with a message naming its env var, so a bad setting stops the gateway at
 * start, not at the first request.
 */
public record GatewayConfig(
    Servers servers,
    String httpHost,
    int httpPort,
    int httpInstances,
    String jwtSecret,
    Duration jwtLeeway,
    int maxBodyBytes,
    int maxInFlight,
    int maxConnections,
    double userRatePerSecond,
    int userBurst,
    double ipRatePerSecond,
    int ipBurst,
    Set<String> rateLimitExemptIps,
    long maxOrdersLag,
    Duration lagCheckInterval,
    String workerGroup,
    Duration sweepAfter,
    Duration sweepInterval,
    Duration saleCacheTtl,
    Duration testSendDelay,
    Duration admitWindow,
    int admitGroupMax,
    int ordersLingerMs,
    String ordersCompression,
    Duration warmupMax,
    boolean demoTokens,
    Duration shutdownGrace,
    Duration nodeLeaseTtl) {

  private static final int MAX_PORT = 65_535;

  /** Most purchases one admission script call takes (admit-group.lua's bound). */
  public static final int ADMIT_GROUP_LIMIT = 1_000;

  /** compression.type values kafka-clients accepts. */
  public static final Set<String> COMPRESSIONS = Set.of("none", "lz4", "zstd", "snappy", "gzip");

  public GatewayConfig {
    if (servers == null)
      throw new IllegalArgumentException("the gateway needs Kafka, Redis and PostgreSQL addresses");
    notBlank(Settings.HTTP_HOST, httpHost);
    between(Settings.HTTP_PORT, httpPort, 0, MAX_PORT);
    atLeast(Settings.HTTP_INSTANCES, httpInstances, 1);
    if (jwtSecret == null)
      throw new IllegalArgumentException(Settings.JWT_SECRET.env() + " must be set");
    notNegative(Settings.JWT_LEEWAY_SECONDS, jwtLeeway);
    atMost(Settings.JWT_LEEWAY_SECONDS, jwtLeeway.toSeconds(), Integer.MAX_VALUE);
    atLeast(Settings.MAX_BODY_BYTES, maxBodyBytes, 1);
    atLeast(Settings.MAX_IN_FLIGHT, maxInFlight, 1);
    atLeast(Settings.MAX_CONNECTIONS, maxConnections, 1);
    positive(Settings.USER_RATE_PER_SECOND, userRatePerSecond);
    atLeast(Settings.USER_BURST, userBurst, 1);
    positive(Settings.IP_RATE_PER_SECOND, ipRatePerSecond);
    atLeast(Settings.IP_BURST, ipBurst, 1);
    rateLimitExemptIps = Set.copyOf(rateLimitExemptIps);
    atLeast(Settings.MAX_ORDERS_LAG, maxOrdersLag, 0);
    positive(Settings.LAG_CHECK_MS, lagCheckInterval);
    notBlank(Settings.WORKER_GROUP, workerGroup);
    positive(Settings.SWEEP_AFTER_MS, sweepAfter);
    positive(Settings.SWEEP_INTERVAL_MS, sweepInterval);
    positive(Settings.SALE_CACHE_SECONDS, saleCacheTtl);
    notNegative(Settings.TEST_SEND_DELAY_MS, testSendDelay);
    notNegative(Settings.ADMIT_WINDOW_US, admitWindow);
    between(Settings.ADMIT_GROUP_MAX, admitGroupMax, 1, ADMIT_GROUP_LIMIT);
    atLeast(Settings.ORDERS_LINGER_MS, ordersLingerMs, 0);
    if (!COMPRESSIONS.contains(ordersCompression)) {
      throw new IllegalArgumentException(
          Settings.ORDERS_COMPRESSION.env()
              + " must be one of "
              + COMPRESSIONS
              + ", got '"
              + ordersCompression
              + "'");
    }
    notNegative(Settings.WARMUP_SECONDS, warmupMax);
    notNegative(Settings.SHUTDOWN_GRACE_MS, shutdownGrace);
    positive(Settings.NODE_LEASE_MS, nodeLeaseTtl);
  }

  /**
   * The production shape: no /demo/token route (only `up` and `demo` ask for it, through the
   * launcher, not a setting).
   */
  public static GatewayConfig from(Env env) {
    return from(env, false);
  }

  public static GatewayConfig from(Env env, boolean demoTokens) {
    int instances = env.getInt(Settings.HTTP_INSTANCES);
    if (instances < 0) {
      throw new IllegalArgumentException(
          Settings.HTTP_INSTANCES.env() + " must be 0 (one per core) or more, got " + instances);
    }
    return new GatewayConfig(
        Servers.from(env),
        env.get(Settings.HTTP_HOST),
        env.getInt(Settings.HTTP_PORT),
        instances > 0 ? instances : Runtime.getRuntime().availableProcessors(),
        env.get(Settings.JWT_SECRET),
        Duration.ofSeconds(env.getLong(Settings.JWT_LEEWAY_SECONDS)),
        env.getInt(Settings.MAX_BODY_BYTES),
        env.getInt(Settings.MAX_IN_FLIGHT),
        env.getInt(Settings.MAX_CONNECTIONS),
        env.getDouble(Settings.USER_RATE_PER_SECOND),
        env.getInt(Settings.USER_BURST),
        env.getDouble(Settings.IP_RATE_PER_SECOND),
        env.getInt(Settings.IP_BURST),
        Set.copyOf(env.getList(Settings.RATE_LIMIT_EXEMPT_IPS)),
        env.getLong(Settings.MAX_ORDERS_LAG),
        env.getMillis(Settings.LAG_CHECK_MS),
        env.get(Settings.WORKER_GROUP),
        env.getMillis(Settings.SWEEP_AFTER_MS),
        env.getMillis(Settings.SWEEP_INTERVAL_MS),
        Duration.ofSeconds(env.getLong(Settings.SALE_CACHE_SECONDS)),
        env.getMillis(Settings.TEST_SEND_DELAY_MS),
        Duration.ofNanos(Math.multiplyExact(env.getLong(Settings.ADMIT_WINDOW_US), 1_000)),
        env.getInt(Settings.ADMIT_GROUP_MAX),
        env.getInt(Settings.ORDERS_LINGER_MS),
        env.get(Settings.ORDERS_COMPRESSION),
        Duration.ofSeconds(env.getLong(Settings.WARMUP_SECONDS)),
        demoTokens,
        env.getMillis(Settings.SHUTDOWN_GRACE_MS),
        env.getMillis(Settings.NODE_LEASE_MS));
  }
}
