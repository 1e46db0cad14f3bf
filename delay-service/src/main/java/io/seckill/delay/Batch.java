package io.seckill.delay;

import io.seckill.platform.contract.DeadlineMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * A contiguous run of ready records of one level, sorted into what to do with each: act on the deadlines that have
 * passed, send the others one level further down, dead-letter what cannot be parsed. It is retried whole on failure,
 * which is safe because every part of it is idempotent.
 */
final class Batch {
  final TopicPartition partition;
  final long firstOffset;
  final long lastOffset;
  final List<DeadlineMessage> due;
  final List<DeadlineMessage> notYetDue;
  final List<DeadLetter> deadLetters;
  /** Records of the topic this batch covers (a record may carry many orders). */
  final int records;
  int attempts;
  long retryAt;

  private Batch(TopicPartition partition, long firstOffset, long lastOffset, List<DeadlineMessage> due,
                List<DeadlineMessage> notYetDue, List<DeadLetter> deadLetters, int records) {
    this.partition = partition;
    this.firstOffset = firstOffset;
    this.lastOffset = lastOffset;
    this.due = due;
    this.notYetDue = notYetDue;
    this.deadLetters = deadLetters;
    this.records = records;
  }

  static Batch of(TopicPartition partition, List<Held> ready, long now) {
    if (ready.isEmpty()) throw new IllegalArgumentException("empty batch");
    List<DeadlineMessage> due = new ArrayList<>();
    List<DeadlineMessage> later = new ArrayList<>();
    List<DeadLetter> dead = new ArrayList<>();
    for (Held h : ready) {
      if (h.malformed()) dead.add(new DeadLetter(h.record(), h.malformedReason()));
      else if (Hops.isDue(h.dueAtMillis(), now)) due.addAll(h.deadlines());
      else later.addAll(h.deadlines());
    }
    return new Batch(partition, ready.get(0).offset(), ready.get(ready.size() - 1).offset(), due, later, dead, ready.size());
  }

  /** Back-off before the next attempt: 100 ms doubling to at most 5 s; deadlines are never given up on. */
  long backoffMillis() {
    return Math.min(5000, 100L << Math.min(6, Math.max(0, attempts - 1)));
  }
}
