package io.seckill.inventory;

/**
 * Every Redis key of Seckill. All keys of one sale share the hash tag {saleId}, so a sale's scripts
 * touch one slot and run unchanged on Redis Cluster.
 */
public final class RedisKeys {
  private RedisKeys() {}

  /** Pub/sub channel: a sale's stock came back from zero (gateways clear their sold-out flag). */
  public static final String RESTOCK_CHANNEL = "seckill:restock";

  /**
   * String, expiring: the owner token of the gateway that holds this node id for order ids (see
   * NodeLeases).
   */
  public static String nodeLease(int node) {
    return "seckill:node-lease:" + node;
  }

  private static String prefix(long saleId) {
    return "seckill:{" + saleId + "}:";
  }

  /** Hash: stock, initial, starts, ends, limit, released, returned. */
  public static String sale(long saleId) {
    return prefix(saleId) + "sale";
  }

  /** Hash: user id -> units held (not cancelled). */
  public static String users(long saleId) {
    return prefix(saleId) + "users";
  }

  /** Hash: user id + "\n" + Idempotency-Key -> order id. */
  public static String idempotency(long saleId) {
    return prefix(saleId) + "idem";
  }

  /**
   * The field of {@link #idempotency} for a user's key (admit.lua builds the same: user, newline,
   * key).
   */
  public static String idempotencyField(String userId, String idempotencyKey) {
    return userId + "\n" + idempotencyKey;
  }

  /** Hash: order id -> reservation (the local message table), until the order is a row. */
  public static String reservations(long saleId) {
    return prefix(saleId) + "resv";
  }

  /**
   * Sorted set: order ids not yet known to be in Kafka, by admission time (the sweeper's work
   * list).
   */
  public static String pending(long saleId) {
    return prefix(saleId) + "pending";
  }

  /**
   * Hash: order id -> S (a worker claimed it) or R (its stock was released before any worker saw
   * it).
   */
  public static String handoffs(long saleId) {
    return prefix(saleId) + "done";
  }

  /**
   * Set: persisted orders whose stock was returned (cancelled or rejected); guards against
   * returning twice.
   */
  public static String returned(long saleId) {
    return prefix(saleId) + "returned";
  }
}
