package io.seckill.delay;

import io.seckill.platform.config.Topics;
import io.seckill.platform.contract.DeadLetters;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.DelayLevels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Writes deadlines onto the delay topic, each at the level of its next hop and stamped with the
 * time of writing (a level's clock starts at the record timestamp), and dead-letters what cannot be
 * read.
 */
final class DelayTopicWriter {
  private final Producer<String, byte[]> producer;
  private final Topics topics;
  private final DelayLevels levels;

  DelayTopicWriter(Producer<String, byte[]> producer, Topics topics, DelayLevels levels) {
    this.producer = producer;
    this.topics = topics;
    this.levels = levels;
  }

  /**
   * Schedules each deadline for its next hop from now, the orders of one sale due at one instant in
   * one record (as the order workers write them); completes when the broker has acknowledged all of
   * them.
   */
  Future<Void> schedule(List<DeadlineMessage> deadlines) {
    List<DeadlineMessage.Bulk> bulks =
        DeadlineMessage.bulk(deadlines, DeadlineMessage.MAX_ORDERS_PER_RECORD);
    List<Future<Void>> acks = new ArrayList<>(bulks.size());
    for (DeadlineMessage.Bulk b : bulks) acks.add(send(hop(b, System.currentTimeMillis())));
    return all(acks);
  }

  ProducerRecord<String, byte[]> hop(DeadlineMessage.Bulk b, long now) {
    int level = Hops.levelFor(levels, b.dueAtMillis() - now);
    return new ProducerRecord<>(topics.delay(), level, now, Long.toString(b.saleId()), b.toBytes());
  }

  ProducerRecord<String, byte[]> hop(DeadlineMessage d, long now) {
    int level = Hops.levelFor(levels, d.dueAtMillis() - now);
    return new ProducerRecord<>(
        topics.delay(), level, now, Long.toString(d.orderId()), d.toBytes());
  }

  Future<Void> deadLetter(List<DeadLetter> letters) {
    List<Future<Void>> acks = new ArrayList<>(letters.size());
    for (DeadLetter l : letters) {
      RecordHeaders headers = new RecordHeaders(l.record().headers().toArray());
      headers.add(DeadLetters.REASON, bytes(l.reason()));
      headers.add(DeadLetters.SOURCE_TOPIC, bytes(l.record().topic()));
      headers.add(DeadLetters.SOURCE_PARTITION, bytes(Integer.toString(l.record().partition())));
      headers.add(DeadLetters.SOURCE_OFFSET, bytes(Long.toString(l.record().offset())));
      acks.add(
          send(
              new ProducerRecord<>(
                  topics.deadLetter(), null, l.record().key(), l.record().value(), headers)));
    }
    return all(acks);
  }

  private Future<Void> send(ProducerRecord<String, byte[]> record) {
    Promise<Void> acked = Promise.promise();
    try {
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) acked.complete();
            else acked.fail(error);
          });
    } catch (RuntimeException e) {
      acked.tryFail(e);
    }
    return acked.future();
  }

  private static Future<Void> all(List<Future<Void>> acks) {
    return acks.isEmpty() ? Future.succeededFuture() : Future.all(acks).mapEmpty();
  }

  private static byte[] bytes(String s) {
    return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
  }
}
