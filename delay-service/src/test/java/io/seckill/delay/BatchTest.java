package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.DelayLevels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchTest {
  final DelayLevels levels = HopsTest.levels("1s,5s");
  final TopicPartition tp = new TopicPartition("delay", 0);

  @Test
  void readyRecordsAreSortedIntoDueNotYetDueAndUnreadable() {
    LevelQueue q = new LevelQueue(tp, levels, 100);
    q.add(
        List.of(LevelQueueTest.record(tp, 40, 1_000, new DeadlineMessage(1, 9, 1_500).toBytes())));
    q.add(
        List.of(LevelQueueTest.record(tp, 41, 1_000, "garbage".getBytes(StandardCharsets.UTF_8))));
    q.add(
        List.of(LevelQueueTest.record(tp, 43, 1_000, new DeadlineMessage(2, 9, 9_000).toBytes())));
    Batch b = Batch.of(tp, q.takeReady(2_000, 10), 2_000);
    assertThat(b.due()).extracting(DeadlineMessage::orderId).containsExactly(1L);
    assertThat(b.notYetDue()).extracting(DeadlineMessage::orderId).containsExactly(2L);
    assertThat(b.deadLetters()).hasSize(1);
    assertThat(b.firstOffset()).isEqualTo(40);
    assertThat(b.lastOffset()).isEqualTo(43);
    assertThat(b.records()).isEqualTo(3);
  }
}
