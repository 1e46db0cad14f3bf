package io.seckill.worker;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one order worker did since it started. Plain getters, safe from any thread; metrics wiring
 * reads these.
 */
public final class WorkerStats {
  private final LongAdder consumed = new LongAdder();
  private final LongAdder inserted = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder releasedSkipped = new LongAdder();
  private final LongAdder deadlinesScheduled = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder commits = new LongAdder();
  private volatile long lastCommitMicros;
  private volatile Map<String, Long> lag = Map.of();
  private final Map<Step, LongAdder> stepNanos = new EnumMap<>(Step.class);

  /**
   * Where a worker's time goes. Batch steps overlap (several batches are in flight), so their sum
   * exceeds wall time.
   */
  public enum Step {
    POLL,
    CLAIM,
    INSERT,
    DEADLINES,
    FORGET,
    COMMIT
  }

  public WorkerStats() {
    for (Step s : Step.values()) stepNanos.put(s, new LongAdder());
  }

  /** Records fetched from the orders topic (re-deliveries included). */
  public long recordsConsumed() {
    return consumed.sum();
  }

  /** Orders this worker claimed first and persisted as PENDING_PAYMENT. */
  public long ordersInserted() {
    return inserted.sum();
  }

  /** Orders already claimed before (re-delivered, or sent twice): written again as a no-op. */
  public long duplicates() {
    return duplicates.sum();
  }

  /**
   * Records sent to the dead-letter topic (unparseable, no admission, or rejected by the database).
   */
  public long deadLettered() {
    return deadLettered.sum();
  }

  /** Admitted orders the database refused (REJECTED, stock returned). */
  public long rejected() {
    return rejected.sum();
  }

  /** Orders whose stock the gateway had already given back (its hand-off failed): not persisted. */
  public long releasedSkipped() {
    return releasedSkipped.sum();
  }

  public long deadlinesScheduled() {
    return deadlinesScheduled.sum();
  }

  /** Batches finished. */
  public long batches() {
    return batches.sum();
  }

  /** Retries of a failing step (a database or broker away). */
  public long retries() {
    return retries.sum();
  }

  /** Offset commits that succeeded. */
  public long commits() {
    return commits.sum();
  }

  public double lastCommitLatencyMillis() {
    return lastCommitMicros / 1000.0;
  }

  /** Milliseconds spent in each step since start (batch steps include their retries). */
  public Map<Step, Long> millisPerStep() {
    Map<Step, Long> out = new EnumMap<>(Step.class);
    stepNanos.forEach((step, nanos) -> out.put(step, nanos.sum() / 1_000_000));
    return out;
  }

  /**
   * Records of the assigned partitions not yet finished (behind the log end or fetched and
   * unfinished), as of the last sample.
   */
  public long totalLag() {
    return lag.values().stream().mapToLong(Long::longValue).sum();
  }

  void consumed(int n) {
    consumed.add(n);
  }

  void inserted(int n) {
    inserted.add(n);
  }

  void duplicates(int n) {
    duplicates.add(n);
  }

  void deadLettered(int n) {
    deadLettered.add(n);
  }

  void rejectedOne() {
    rejected.increment();
  }

  void releasedSkipped(int n) {
    releasedSkipped.add(n);
  }

  void deadlinesScheduled(int n) {
    deadlinesScheduled.add(n);
  }

  void batch() {
    batches.increment();
  }

  void retried() {
    retries.increment();
  }

  void committed(long micros) {
    commits.increment();
    lastCommitMicros = micros;
  }

  void spent(Step step, long nanos) {
    stepNanos.get(step).add(nanos);
  }

  /**
   * The lag of every partition assigned now ("topic-partition" -> records); partitions gone are
   * forgotten.
   */
  void lag(Map<String, Long> latest) {
    lag = Map.copyOf(latest);
  }

  @Override
  public String toString() {
    return "consumed="
        + recordsConsumed()
        + " inserted="
        + ordersInserted()
        + " duplicates="
        + duplicates()
        + " deadLettered="
        + deadLettered()
        + " rejected="
        + rejected()
        + " releasedSkipped="
        + releasedSkipped()
        + " deadlinesScheduled="
        + deadlinesScheduled()
        + " batches="
        + batches()
        + " retries="
        + retries()
        + " commits="
        + commits()
        + " lastCommitMs="
        + lastCommitLatencyMillis()
        + " lag="
        + totalLag()
        + " millisPerStep="
        + millisPerStep();
  }
}
