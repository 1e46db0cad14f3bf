package io.seckill.delay;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.MalformedMessageException;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A fetched record of the delay topic, parsed once: the deadlines it carries (one sale, one dueAt,
 * one or many orders) or why it cannot be read.
 */
record Held(
    ConsumerRecord<String, byte[]> record,
    List<DeadlineMessage> deadlines,
    String malformedReason) {

  static Held of(ConsumerRecord<String, byte[]> record) {
    try {
      return new Held(record, DeadlineMessage.parseAll(record.value()), null);
    } catch (MalformedMessageException e) {
      return new Held(record, null, e.getMessage());
    }
  }

  long offset() {
    return record.offset();
  }

  boolean malformed() {
    return deadlines == null;
  }

  /** The record's dueAt (every order of a record shares it). */
  long dueAtMillis() {
    return deadlines.get(0).dueAtMillis();
  }

  /** Orders carried: what a batch's size is counted in. */
  int orders() {
    return malformed() ? 1 : deadlines.size();
  }
}
