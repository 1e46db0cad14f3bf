package io.seckill.delay;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.kafka.ConsumerPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * A contiguous run of ready records of one level, sorted into what to do with each: act on the
 * deadlines that have passed, send the others one level further down, dead-letter what cannot be
 * parsed. It is retried whole on failure, which is safe because every part of it is idempotent.
 *
 * @param records records of the topic this batch covers (a record may carry many orders)
 */
record Batch(
    TopicPartition partition,
    long firstOffset,
    long lastOffset,
    List<DeadlineMessage> due,
    List<DeadlineMessage> notYetDue,
    List<DeadLetter> deadLetters,
    int records)
    implements ConsumerPolicy.Work {

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
    return new Batch(
        partition,
        ready.get(0).offset(),
        ready.get(ready.size() - 1).offset(),
        due,
        later,
        dead,
        ready.size());
  }
}
