package io.seckill.delay;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.config.Topics;
import io.seckill.platform.contract.DeadLetters;
import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.contract.DelayLevels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DelayTopicWriterTest {
  final DelayLevels levels = HopsTest.levels("1s,5s,1m");
  final Topics topics = new Topics("orders", "delay", "dlq", 1, (short) 1, 1);
  final MockProducer<String, byte[]> producer =
      new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
  final DelayTopicWriter writer = new DelayTopicWriter(producer, topics, levels);

  @Test
  void aHopIsWrittenToItsLevelStampedWithNowAndKeyedByOrder() {
    ProducerRecord<String, byte[]> r = writer.hop(new DeadlineMessage(42, 7, 100_000), 30_000);
    assertThat(r.partition()).isEqualTo(2);
    assertThat(r.timestamp()).isEqualTo(30_000);
    assertThat(r.key()).isEqualTo("42");
    assertThat(DeadlineMessage.parse(r.value())).isEqualTo(new DeadlineMessage(42, 7, 100_000));
  }

  @Test
  void scheduleCompletesWhenTheBrokerAcknowledged() {
    var done =
        writer.schedule(List.of(new DeadlineMessage(1, 7, System.currentTimeMillis() + 6_000)));
    assertThat(done.succeeded()).isTrue();
    assertThat(producer.history())
        .singleElement()
        .satisfies(r -> assertThat(r.partition()).isEqualTo(1));
  }

  @Test
  void anUnreadableRecordIsDeadLetteredWithItsReasonAndOrigin() {
    var rec =
        LevelQueueTest.record(
            new TopicPartition("delay", 1), 17, 5, "oops".getBytes(StandardCharsets.UTF_8));
    assertThat(writer.deadLetter(List.of(new DeadLetter(rec, "not a deadline"))).succeeded())
        .isTrue();
    ProducerRecord<String, byte[]> out = producer.history().get(0);
    assertThat(out.topic()).isEqualTo("dlq");
    assertThat(out.value()).isEqualTo(rec.value());
    assertThat(header(out, DeadLetters.REASON)).isEqualTo("not a deadline");
    assertThat(header(out, DeadLetters.SOURCE_PARTITION)).isEqualTo("1");
    assertThat(header(out, DeadLetters.SOURCE_OFFSET)).isEqualTo("17");
  }

  @Test
  void aFailedSendFailsTheSchedule() {
    MockProducer<String, byte[]> failing =
        new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    var done =
        new DelayTopicWriter(failing, topics, levels)
            .schedule(List.of(new DeadlineMessage(1, 7, 10)));
    failing.errorNext(new RuntimeException("broker down"));
    assertThat(done.failed()).isTrue();
  }

  static String header(ProducerRecord<String, byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
