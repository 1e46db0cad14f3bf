package io.seckill.delay;

import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.kafka.ConsumerPolicy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The delay service's policy for one assigned partition (= one delay level): the records fetched
 * but not yet handed out, in offset order, held until due. Records of a level become ready in the
 * order they were written, so only the head is ever waited for; the partition stays paused while
 * anything is held here, which is the "seek back and pause" of the design without re-fetching.
 * Batches of a level may run side by side: deadlines carry no per-key order.
 */
final class LevelQueue implements ConsumerPolicy.Lane<Batch> {
  private final TopicPartition partition;
  private final DelayLevels levels;
  private final int batchSize;
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  LevelQueue(TopicPartition partition, DelayLevels levels, int batchSize) {
    this.partition = partition;
    this.levels = levels;
    this.batchSize = batchSize;
  }

  int level() {
    return partition.partition();
  }

  @Override
  public void add(List<ConsumerRecord<String, byte[]>> records) {
    for (ConsumerRecord<String, byte[]> r : records) held.addLast(Held.of(r));
  }

  @Override
  public Batch next(int busy, long nowMillis) {
    List<Held> ready = takeReady(nowMillis, batchSize);
    return ready.isEmpty() ? null : Batch.of(partition, ready, nowMillis);
  }

  /**
   * When the head may be handed out; Long.MAX_VALUE when nothing is held. A malformed head is ready
   * at once.
   */
  @Override
  public long readyAt() {
    Held head = held.peekFirst();
    if (head == null) return Long.MAX_VALUE;
    if (head.malformed()) return Long.MIN_VALUE;
    return Hops.readyAt(levels, level(), head.record().timestamp(), head.dueAtMillis());
  }

  @Override
  public boolean holdFetching() {
    return !held.isEmpty();
  }

  @Override
  public int buffered() {
    return held.size();
  }

  @Override
  public void clear() {
    held.clear();
  }

  /**
   * Removes and returns the ready prefix, at most maxOrders orders (but at least one record,
   * however many it carries).
   */
  List<Held> takeReady(long now, int maxOrders) {
    List<Held> out = new ArrayList<>();
    int orders = 0;
    while (readyAt() <= now && (out.isEmpty() || orders + held.peekFirst().orders() <= maxOrders)) {
      Held h = held.pollFirst();
      orders += h.orders();
      out.add(h);
    }
    return out;
  }
}
