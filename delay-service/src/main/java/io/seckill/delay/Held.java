package io.seckill.delay;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.MalformedMessageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A fetched record of the delay topic, parsed once: either its deadline or why it cannot be one. */
record Held(ConsumerRecord<String, byte[]> record, DeadlineMessage deadline, String malformedReason) {

  static Held of(ConsumerRecord<String, byte[]> record) {
    try {
      return new Held(record, DeadlineMessage.parse(record.value()), null);
    } catch (MalformedMessageException e) {
      return new Held(record, null, e.getMessage());
    }
  }

  long offset() {
    return record.offset();
  }

  boolean malformed() {
    return deadline == null;
  }
}
