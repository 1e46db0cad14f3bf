package io.seckill.worker;

import io.seckill.platform.config.Topics;
import io.seckill.platform.contract.DeadLetters;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.DelayLevels;
import io.seckill.platform.store.OrderStore.Deadline;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Publishes through one idempotent producer and completes when every record is acknowledged
 * (acks=all), on the worker's context. A batch is finished only after that, so a crash before the
 * acks re-delivers it and re-publishes (the delay service and the dead-letter readers tolerate
 * duplicates; losing a deadline is not tolerable).
 */
final class KafkaOutbox implements Outbox {
  private final Producer<String, byte[]> producer;
  private final Context context;
  private final Topics topics;
  private final DelayLevels levels;
  private final LongSupplier clock;

  KafkaOutbox(
      Producer<String, byte[]> producer,
      Context context,
      Topics topics,
      DelayLevels levels,
      LongSupplier clock) {
    this.producer = producer;
    this.context = context;
    this.topics = topics;
    this.levels = levels;
    this.clock = clock;
  }

  @Override
  public Future<Void> deadLetter(List<DeadLetter> records) {
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>(records.size());
    for (DeadLetter d : records) {
      RecordHeaders headers = new RecordHeaders(d.source().headers().toArray());
      headers.remove(DeadLetters.REASON);
      headers.add(DeadLetters.REASON, utf8(d.reason()));
      headers.add(DeadLetters.SOURCE_TOPIC, utf8(d.source().topic()));
      headers.add(DeadLetters.SOURCE_PARTITION, utf8(Integer.toString(d.source().partition())));
      headers.add(DeadLetters.SOURCE_OFFSET, utf8(Long.toString(d.source().offset())));
      out.add(
          new ProducerRecord<>(
              topics.deadLetter(), null, d.source().key(), d.source().value(), headers));
    }
    return sendAll(out);
  }

  /**
   * Partition = the delay level that does not overshoot the time left, timestamp = now: the delay
   * service reads a record as ready at timestamp + its level's delay, and hops down the levels from
   * there. The orders of one sale due at one instant share a record (a batch shares one creation
   * time), so a batch costs the broker a few records.
   */
  @Override
  public Future<Void> schedule(List<Deadline> deadlines) {
    long now = clock.getAsLong();
    List<DeadlineMessage> messages = new ArrayList<>(deadlines.size());
    for (Deadline d : deadlines)
      messages.add(new DeadlineMessage(d.orderId(), d.saleId(), d.expiresAt().toEpochMilli()));
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    for (DeadlineMessage.Bulk b :
        DeadlineMessage.bulk(messages, DeadlineMessage.MAX_ORDERS_PER_RECORD)) {
      out.add(
          new ProducerRecord<>(
              topics.delay(),
              levels.nextHop(b.dueAtMillis() - now),
              now,
              Long.toString(b.saleId()),
              b.toBytes()));
    }
    return sendAll(out);
  }

  private Future<Void> sendAll(List<ProducerRecord<String, byte[]>> records) {
    if (records.isEmpty()) return Future.succeededFuture();
    Promise<Void> done = Promise.promise();
    AtomicInteger remaining = new AtomicInteger(records.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (ProducerRecord<String, byte[]> r : records) {
      try {
        producer.send(r, (meta, e) -> acked(e, remaining, failure, done));
      } catch (RuntimeException e) {
        // Metadata or buffer-space timeouts, a closed producer: the step fails and is retried as a
        // whole.
        acked(e, remaining, failure, done);
      }
    }
    return done.future();
  }

  private void acked(
      Exception e,
      AtomicInteger remaining,
      AtomicReference<Exception> failure,
      Promise<Void> done) {
    if (e != null) failure.compareAndSet(null, e);
    if (remaining.decrementAndGet() == 0) {
      Exception f = failure.get();
      context.runOnContext(
          v -> {
            if (f == null) done.complete();
            else done.fail(f);
          });
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
