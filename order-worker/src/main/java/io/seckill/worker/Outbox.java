package io.seckill.worker;

import io.seckill.platform.store.OrderStore.Deadline;
import io.vertx.core.Future;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What a worker publishes: payment deadlines for the delay service, and records it gives up on.
 * Succeeds once acked.
 */
interface Outbox {
  record DeadLetter(ConsumerRecord<String, byte[]> source, String reason) {}

  Future<Void> deadLetter(List<DeadLetter> records);

  Future<Void> schedule(List<Deadline> deadlines);
}
