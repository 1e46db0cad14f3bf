package io.seckill.gateway.config;

import io.seckill.platform.config.Env;
import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.Set;

/** Everything the gateway reads from its environment, once, at start. */
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

  /** The production shape: no /demo/token route (only `up` and `demo` ask for it, through the launcher, not a setting). */
  public static GatewayConfig from(Env env) {
    return from(env, false);
  }

  public static GatewayConfig from(Env env, boolean demoTokens) {
    int instances = env.getInt(Settings.HTTP_INSTANCES);
    long leeway = env.getLong(Settings.JWT_LEEWAY_SECONDS);
    if (leeway < 0) throw new IllegalArgumentException(Settings.JWT_LEEWAY_SECONDS.env() + " must be 0 or more, got " + leeway);
    return new GatewayConfig(
        Servers.from(env),
        env.get(Settings.HTTP_HOST),
        env.getInt(Settings.HTTP_PORT),
        instances > 0 ? instances : Runtime.getRuntime().availableProcessors(),
        env.get(Settings.JWT_SECRET),
        Duration.ofSeconds(leeway),
        env.getInt(Settings.MAX_BODY_BYTES),
        env.getInt(Settings.MAX_IN_FLIGHT),
        env.getInt(Settings.MAX_CONNECTIONS),
        Double.parseDouble(env.get(Settings.USER_RATE_PER_SECOND)),
        env.getInt(Settings.USER_BURST),
        Double.parseDouble(env.get(Settings.IP_RATE_PER_SECOND)),
        env.getInt(Settings.IP_BURST),
        Set.copyOf(env.getList(Settings.RATE_LIMIT_EXEMPT_IPS)),
        env.getLong(Settings.MAX_ORDERS_LAG),
        env.getMillis(Settings.LAG_CHECK_MS),
        env.get(Settings.WORKER_GROUP),
        env.getMillis(Settings.SWEEP_AFTER_MS),
        env.getMillis(Settings.SWEEP_INTERVAL_MS),
        Duration.ofSeconds(env.getLong(Settings.SALE_CACHE_SECONDS)),
        env.getMillis(Settings.TEST_SEND_DELAY_MS),
        Duration.ofNanos(env.getLong(Settings.ADMIT_WINDOW_US) * 1_000),
        Math.max(1, Math.min(1_000, env.getInt(Settings.ADMIT_GROUP_MAX))),
        env.getInt(Settings.ORDERS_LINGER_MS),
        env.get(Settings.ORDERS_COMPRESSION),
        Duration.ofSeconds(env.getLong(Settings.WARMUP_SECONDS)),
        demoTokens,
        env.getMillis(Settings.SHUTDOWN_GRACE_MS),
        env.getMillis(Settings.NODE_LEASE_MS));
  }
}
