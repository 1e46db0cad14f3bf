package io.seckill.platform.config;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * Every SECKILL_* setting, with its default. Defaults suit the dev stack and a load test from the
 * same machine; production overrides them by env var (see README, "Configuration").
 */
public final class Settings {
  private Settings() {}

  // Servers
  public static final Setting KAFKA_BOOTSTRAP =
      new Setting("SECKILL_KAFKA_BOOTSTRAP", "localhost:9092", "Kafka bootstrap servers");
  public static final Setting REDIS_URI =
      new Setting("SECKILL_REDIS_URI", "redis://localhost:6379", "Redis connection string");
  public static final Setting PG_URI =
      new Setting(
          "SECKILL_PG_URI",
          "postgresql://seckill:seckill@localhost:5432/seckill",
          "PostgreSQL connection string (user, password, host, port, database)");
  public static final Setting PG_POOL_SIZE =
      new Setting("SECKILL_PG_POOL_SIZE", "8", "PostgreSQL connections per service");
  public static final Setting REDIS_POOL_SIZE =
      new Setting("SECKILL_REDIS_POOL_SIZE", "8", "Redis connections per gateway instance");
  public static final Setting CALL_TIMEOUT_MS =
      new Setting("SECKILL_CALL_TIMEOUT_MS", "5000", "Timeout of every Redis and PostgreSQL call");

  // Topics
  public static final Setting TOPIC_ORDERS =
      new Setting(
          "SECKILL_TOPIC_ORDERS", "seckill.orders", "Topic of admitted orders (key = order id)");
  public static final Setting TOPIC_DELAY =
      new Setting(
          "SECKILL_TOPIC_DELAY", "seckill.delay", "Delay topic: one partition per delay level");
  public static final Setting TOPIC_DEAD_LETTER =
      new Setting(
          "SECKILL_TOPIC_DEAD_LETTER",
          "seckill.dead-letter",
          "Records that can never be processed, with the reason in a header");
  public static final Setting ORDERS_PARTITIONS =
      new Setting(
          "SECKILL_ORDERS_PARTITIONS",
          "12",
          "Partitions of the orders topic (upper bound on useful workers)");
  public static final Setting REPLICATION_FACTOR =
      new Setting(
          "SECKILL_REPLICATION_FACTOR",
          "1",
          "Replication factor of created topics (3 in production; the single-broker dev stack uses 1)");
  public static final Setting MIN_INSYNC_REPLICAS =
      new Setting(
          "SECKILL_MIN_INSYNC_REPLICAS",
          "1",
          "min.insync.replicas of created topics (2 in production)");
  public static final Setting KAFKA_DELIVERY_TIMEOUT_MS =
      new Setting(
          "SECKILL_KAFKA_DELIVERY_TIMEOUT_MS",
          "10000",
          "Upper bound for a produce to be acknowledged, retries included");

  // Gateway
  public static final Setting HTTP_HOST =
      new Setting(
          "SECKILL_HTTP_HOST",
          "0.0.0.0",
          "Gateway bind address (`up` and `demo` bind 127.0.0.1 unless this is set or `--expose` is given)");
  public static final Setting HTTP_PORT =
      new Setting("SECKILL_HTTP_PORT", "8080", "Gateway HTTP port");
  public static final Setting HTTP_INSTANCES =
      new Setting("SECKILL_HTTP_INSTANCES", "0", "HTTP verticle instances (0 = one per core)");
  public static final Setting JWT_SECRET =
      new Setting(
          "SECKILL_JWT_SECRET",
          "seckill-dev-secret-change-me-in-production",
          "HS256 secret of user and admin tokens; `gateway` refuses to start with this public default, an empty one or one under 32 bytes (only `up` and `demo` use the default)");
  public static final Setting JWT_LEEWAY_SECONDS =
      new Setting(
          "SECKILL_JWT_LEEWAY_SECONDS",
          "5",
          "Clock skew tolerated when checking a token's exp, nbf and iat");
  public static final Setting TOKEN_TTL_SECONDS =
      new Setting(
          "SECKILL_TOKEN_TTL_SECONDS", "86400", "Lifetime of tokens minted by `seckill token`");
  public static final Setting MAX_BODY_BYTES =
      new Setting("SECKILL_MAX_BODY_BYTES", "16384", "Largest accepted request body");
  public static final Setting MAX_IN_FLIGHT =
      new Setting(
          "SECKILL_MAX_IN_FLIGHT",
          "1000",
          "Cap of purchase requests in flight per gateway (429 beyond): bounds the queue in front of Redis and Kafka, so an overloaded gateway answers at once instead of late");
  public static final Setting MAX_CONNECTIONS =
      new Setting(
          "SECKILL_MAX_CONNECTIONS",
          "10000",
          "Open HTTP connections per gateway process; a connection opened past it has its request answered 429 and is closed (keep it well under the process's file-descriptor limit)");
  public static final Setting USER_RATE_PER_SECOND =
      new Setting("SECKILL_USER_RATE_PER_SECOND", "5", "Per-user token bucket: refill per second");
  public static final Setting USER_BURST =
      new Setting("SECKILL_USER_BURST", "10", "Per-user token bucket: capacity");
  public static final Setting IP_RATE_PER_SECOND =
      new Setting("SECKILL_IP_RATE_PER_SECOND", "200", "Per-IP token bucket: refill per second");
  public static final Setting IP_BURST =
      new Setting("SECKILL_IP_BURST", "400", "Per-IP token bucket: capacity");
  public static final Setting RATE_LIMIT_EXEMPT_IPS =
      new Setting(
          "SECKILL_RATE_LIMIT_EXEMPT_IPS",
          "127.0.0.1,0:0:0:0:0:0:0:1",
          "Client IPs exempt from the per-IP bucket (loopback load tests; a trusted load balancer)");
  public static final Setting MAX_ORDERS_LAG =
      new Setting(
          "SECKILL_MAX_ORDERS_LAG",
          "500000",
          "Consumer lag on the orders topic above which purchases get 503 overloaded");
  public static final Setting LAG_CHECK_MS =
      new Setting(
          "SECKILL_LAG_CHECK_MS", "1000", "How often the gateway reads the order workers' lag");
  public static final Setting SWEEP_AFTER_MS =
      new Setting(
          "SECKILL_SWEEP_AFTER_MS",
          "15000",
          "Age after which a reservation not handed to Kafka is re-sent by the sweeper");
  public static final Setting SWEEP_INTERVAL_MS =
      new Setting(
          "SECKILL_SWEEP_INTERVAL_MS",
          "2000",
          "How often the sweeper looks for orphaned reservations");
  public static final Setting SALE_CACHE_SECONDS =
      new Setting(
          "SECKILL_SALE_CACHE_SECONDS",
          "3600",
          "How long a gateway keeps a sale's rules in memory (they never change once created)");
  public static final Setting SHUTDOWN_GRACE_MS =
      new Setting(
          "SECKILL_SHUTDOWN_GRACE_MS",
          "1000",
          "On SIGTERM the gateway reports not-ready this long before it stops accepting, so load balancers drain it first");
  public static final Setting NODE_LEASE_MS =
      new Setting(
          "SECKILL_NODE_LEASE_MS",
          "15000",
          "Lease of a gateway's order-id node id in Redis, renewed every third of it; a gateway that cannot renew it stops taking purchases (503) before it could lapse");
  public static final Setting ADMIT_WINDOW_US =
      new Setting(
          "SECKILL_ADMIT_WINDOW_US",
          "200",
          "Group admission: while an admission call is outstanding, an event loop gathers further purchases of a sale for at most this many microseconds (or until the call returns) and admits them with one script call; an idle gateway sends a lone purchase at once");
  public static final Setting ADMIT_GROUP_MAX =
      new Setting(
          "SECKILL_ADMIT_GROUP_MAX",
          "64",
          "Group admission: most purchases admitted by one script call (1 = one call per purchase; at most 1000)");
  public static final Setting ORDERS_LINGER_MS =
      new Setting(
          "SECKILL_ORDERS_LINGER_MS",
          "1",
          "Gateway's producer: linger.ms of the orders it sends (a purchase waits for its acknowledgement, so this is latency)");
  public static final Setting ORDERS_COMPRESSION =
      new Setting(
          "SECKILL_ORDERS_COMPRESSION",
          "none",
          "Gateway's producer: compression.type of the orders it sends (none, lz4, zstd, snappy, gzip; under a crowd a batch holds one or two orders per partition, too few for compression to pay: see BENCHMARKS.md)");
  public static final Setting WARMUP_SECONDS =
      new Setting(
          "SECKILL_WARMUP_SECONDS",
          "30",
          "Warm before ready: the most a fresh gateway spends driving its own purchase path on a private sale (stopping once the JIT is quiet) before /health/ready answers 200; 0 = no warm-up (the gateway needs Kafka rights to create and delete topics named <orders>.warmup-<id>)");
  public static final Setting TEST_SEND_DELAY_MS =
      new Setting(
          "SECKILL_TEST_SEND_DELAY_MS",
          "0",
          "Test hook: delay between the Redis admission and the Kafka send (fault injection only)");

  // Order worker
  public static final Setting WORKER_GROUP =
      new Setting(
          "SECKILL_WORKER_GROUP", "seckill-order-worker", "Consumer group of the order workers");
  public static final Setting WORKER_CONCURRENCY =
      new Setting(
          "SECKILL_WORKER_CONCURRENCY",
          "2",
          "Writes (claim, insert, forget) in flight at once per worker; each takes every partition's batch waiting for it");
  public static final Setting WORKER_BATCH_SIZE =
      new Setting(
          "SECKILL_WORKER_BATCH_SIZE",
          "10000",
          "Most records in one INSERT (one partition's batch, or several partitions' batches written together)");
  public static final Setting WORKER_LINGER_MS =
      new Setting(
          "SECKILL_WORKER_LINGER_MS",
          "0",
          "Longest wait for more orders before a write starts with fewer than a batch (0: at once; writes already in flight gather the next one)");
  public static final Setting WORKER_FETCH_MIN_BYTES =
      new Setting(
          "SECKILL_WORKER_FETCH_MIN_BYTES",
          "32768",
          "Consumer fetch.min.bytes: the broker answers a worker's fetch once this much is there...");
  public static final Setting WORKER_FETCH_MAX_WAIT_MS =
      new Setting(
          "SECKILL_WORKER_FETCH_MAX_WAIT_MS",
          "500",
          "...or after this many milliseconds (fetch.max.wait.ms), so an order on an idle pipeline waits at most this");
  public static final Setting WORKER_COMMIT_INTERVAL_MS =
      new Setting(
          "SECKILL_WORKER_COMMIT_INTERVAL_MS",
          "500",
          "Commit finished offsets at least this often");
  public static final Setting WORKER_COMMIT_EVERY =
      new Setting(
          "SECKILL_WORKER_COMMIT_EVERY",
          "10000",
          "Commit once this many records finished since the last commit");
  public static final Setting WORKER_SESSION_TIMEOUT_MS =
      new Setting(
          "SECKILL_WORKER_SESSION_TIMEOUT_MS",
          "10000",
          "Consumer session timeout: a worker silent this long (crashed, frozen) loses its partitions to the group");
  public static final Setting WORKER_MAX_POLL_INTERVAL_MS =
      new Setting(
          "SECKILL_WORKER_MAX_POLL_INTERVAL_MS",
          "300000",
          "Consumer max.poll.interval.ms: a worker whose consumer thread does not poll this long leaves the group");
  public static final Setting WORKER_MAX_BACKOFF_MS =
      new Setting(
          "SECKILL_WORKER_MAX_BACKOFF_MS",
          "5000",
          "Longest back-off between retries of a failing batch");

  // Delay service
  public static final Setting DELAY_GROUP =
      new Setting(
          "SECKILL_DELAY_GROUP", "seckill-delay-service", "Consumer group of the delay service");
  public static final Setting DELAY_LEVELS =
      new Setting(
          "SECKILL_DELAY_LEVELS",
          "250ms,500ms,1s,2s,5s,10s,30s,1m,2m,5m,10m,15m,30m,1h,2h,6h,12h,24h",
          "Delay levels, one partition each");

  public static final Setting DELAY_BATCH_SIZE =
      new Setting(
          "SECKILL_DELAY_BATCH_SIZE", "2000", "Most deadlines acted on in one batched UPDATE");
  public static final Setting DELAY_MAX_IN_FLIGHT =
      new Setting(
          "SECKILL_DELAY_MAX_IN_FLIGHT", "8", "Batches of deadlines being acted on at once");
  public static final Setting DELAY_STOCK_RETURNS_IN_FLIGHT =
      new Setting(
          "SECKILL_DELAY_STOCK_RETURNS_IN_FLIGHT",
          "256",
          "Redis stock returns pipelined at once per batch");
  public static final Setting DELAY_COMMIT_INTERVAL_MS =
      new Setting(
          "SECKILL_DELAY_COMMIT_INTERVAL_MS",
          "200",
          "Commit finished offsets of the delay topic at least this often");
  public static final Setting DELAY_MAX_BACKOFF_MS =
      new Setting(
          "SECKILL_DELAY_MAX_BACKOFF_MS",
          "5000",
          "Longest back-off between attempts of a failing batch of deadlines (it is never given up on)");

  // Management
  public static final Setting MANAGEMENT_PORT =
      new Setting(
          "SECKILL_MANAGEMENT_PORT",
          "9464",
          "Port of /metrics and /health/* for an order-worker or delay-service process (the gateway serves them on its HTTP port; 0 = off)");

  /** All settings in declaration order, for the README table and `seckill config`. */
  public static List<Setting> all() {
    List<Setting> out = new ArrayList<>();
    for (var field : Settings.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
        try {
          out.add((Setting) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }
}
