package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.DelayLevels;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LevelQueueTest {
  final DelayLevels levels = HopsTest.levels("1s,5s,1m");
  final TopicPartition fiveSeconds = new TopicPartition("delay", 1);
  final LevelQueue q = new LevelQueue(fiveSeconds, levels, 100);
  long offset;

  static ConsumerRecord<String, byte[]> record(
      TopicPartition tp, long offset, long timestamp, byte[] value) {
    return new ConsumerRecord<>(
        tp.topic(),
        tp.partition(),
        offset,
        timestamp,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
        0,
        0,
        "k",
        value,
        new org.apache.kafka.common.header.internals.RecordHeaders(),
        java.util.Optional.empty());
  }

  void add(long timestamp, long dueAt) {
    q.add(
        java.util.List.of(
            record(
                fiveSeconds,
                offset++,
                timestamp,
                new DeadlineMessage(offset, 7, dueAt).toBytes())));
  }

  @Test
  void theHeadIsReadyOneLevelAfterItWasWritten() {
    add(10_000, 60_000);
    assertThat(q.readyAt()).isEqualTo(15_000);
    assertThat(q.takeReady(14_999, 100)).isEmpty();
    assertThat(q.takeReady(15_000, 100)).hasSize(1);
  }

  @Test
  void onlyTheReadyPrefixIsTakenAndAtMostABatch() {
    add(10_000, 60_000);
    add(10_100, 60_000);
    add(10_200, 60_000);
    add(20_000, 60_000);
    assertThat(q.takeReady(15_150, 100)).extracting(Held::offset).containsExactly(0L, 1L);
    assertThat(q.takeReady(16_000, 1)).extracting(Held::offset).containsExactly(2L);
    assertThat(q.buffered()).isEqualTo(1);
    assertThat(q.readyAt()).isEqualTo(25_000);
  }

  @Test
  void aBatchIsCappedInOrdersNotRecordsButAlwaysTakesOneRecordWhateverItCarries() {
    q.add(
        java.util.List.of(
            record(
                fiveSeconds,
                0,
                10_000,
                new DeadlineMessage.Bulk(7, 60_000, java.util.List.of(1L, 2L, 3L)).toBytes())));
    q.add(
        java.util.List.of(
            record(
                fiveSeconds,
                1,
                10_000,
                new DeadlineMessage.Bulk(7, 60_000, java.util.List.of(4L, 5L)).toBytes())));
    q.add(
        java.util.List.of(
            record(fiveSeconds, 2, 10_000, new DeadlineMessage(6, 7, 60_000).toBytes())));
    assertThat(q.takeReady(15_000, 2)).extracting(Held::offset).containsExactly(0L);
    var next = q.takeReady(15_000, 3);
    assertThat(next).extracting(Held::offset).containsExactly(1L, 2L);
    assertThat(Batch.of(fiveSeconds, next, 15_000).notYetDue())
        .extracting(DeadlineMessage::orderId)
        .containsExactly(4L, 5L, 6L);
    assertThat(Batch.of(fiveSeconds, next, 15_000).records()).isEqualTo(2);
  }

  @Test
  void anUnreadableRecordIsReadyAtOnce() {
    q.add(
        java.util.List.of(
            record(fiveSeconds, 0, 10_000, "{not json".getBytes(StandardCharsets.UTF_8))));
    q.add(java.util.List.of(record(fiveSeconds, 1, 10_000, null)));
    var ready = q.takeReady(0, 10);
    assertThat(ready).hasSize(2).allMatch(Held::malformed);
    assertThat(ready.get(1).malformedReason()).isNotBlank();
  }

  @Test
  void anEmptyLevelIsNeverReady() {
    assertThat(q.readyAt()).isEqualTo(Long.MAX_VALUE);
  }
}
