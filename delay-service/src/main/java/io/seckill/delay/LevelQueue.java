package io.seckill.delay;

import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.kafka.OffsetTracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition (= one delay level): the records fetched but not yet handed out, in offset order. Records of
 * a level become ready in the order they were written, so only the head is ever waited for; the consumer keeps the
 * partition paused while anything is held here, which is the "seek back and pause" of the design without re-fetching.
 */
final class LevelQueue {
  final TopicPartition partition;
  final OffsetTracker offsets = new OffsetTracker();
  /** Batches of this level being acted on now (touched by the consumer thread only). */
  int running;
  private final DelayLevels levels;
  private final ArrayDeque<Held> held = new ArrayDeque<>();

  LevelQueue(TopicPartition partition, DelayLevels levels) {
    this.partition = partition;
    this.levels = levels;
  }

  int level() {
    return partition.partition();
  }

  void add(ConsumerRecord<String, byte[]> record) {
    held.addLast(Held.of(record));
  }

  /** When the head may be handed out; Long.MAX_VALUE when nothing is held. A malformed head is ready at once. */
  long headReadyAt() {
    Held head = held.peekFirst();
    if (head == null) return Long.MAX_VALUE;
    if (head.malformed()) return Long.MIN_VALUE;
    return Hops.readyAt(levels, level(), head.record().timestamp(), head.dueAtMillis());
  }

  /** Removes and returns the ready prefix, at most maxOrders orders (but at least one record, however many it carries). */
  List<Held> takeReady(long now, int maxOrders) {
    List<Held> out = new ArrayList<>();
    int orders = 0;
    while (headReadyAt() <= now && (out.isEmpty() || orders + held.peekFirst().orders() <= maxOrders)) {
      Held h = held.pollFirst();
      orders += h.orders();
      out.add(h);
    }
    return out;
  }

  int heldCount() {
    return held.size();
  }
}
