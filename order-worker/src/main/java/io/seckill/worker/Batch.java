package io.seckill.worker;

import io.seckill.platform.contract.MalformedMessageException;
import io.seckill.platform.contract.OrderMessage;
import io.seckill.platform.kafka.ConsumerPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Consecutive records of one partition, handled together: one claim per sale, one INSERT, one
 * commit step.
 */
record Batch(TopicPartition partition, long firstOffset, long lastOffset, List<Entry> entries)
    implements ConsumerPolicy.Work {

  /** A record and what parsing it gave: an order, or why it is not one. */
  record Entry(ConsumerRecord<String, byte[]> record, OrderMessage order, String malformed) {}

  /**
   * Parses on the consumer thread, which is otherwise idle while batches are written, so the event
   * loop is spared.
   */
  static Batch of(TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
    List<Entry> entries = new ArrayList<>(records.size());
    for (ConsumerRecord<String, byte[]> r : records) {
      try {
        entries.add(new Entry(r, OrderMessage.parse(r.value()), null));
      } catch (MalformedMessageException e) {
        entries.add(new Entry(r, null, e.getMessage()));
      }
    }
    return new Batch(
        partition, records.get(0).offset(), records.get(records.size() - 1).offset(), entries);
  }

  @Override
  public int records() {
    return entries.size();
  }

  /** "orders-3@1200..2199", for the log. */
  String describe() {
    return partition + "@" + firstOffset + ".." + lastOffset;
  }

  /** Batches written together, for the log: "orders-3@1200..2199 orders-7@880..912". */
  static String describe(List<Batch> batches) {
    if (batches.size() == 1) return batches.get(0).describe();
    StringBuilder s = new StringBuilder();
    for (Batch b : batches) {
      if (s.length() > 0) s.append(' ');
      s.append(b.describe());
    }
    return s.toString();
  }
}
