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
}
