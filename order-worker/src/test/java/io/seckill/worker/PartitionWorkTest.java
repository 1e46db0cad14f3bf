package io.seckill.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.platform.contract.OrderMessage;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The worker's policy for one partition: batches cut in offset order, one at a time, and fetching
 * paused without flapping.
 */
class PartitionWorkTest {
  private static final TopicPartition TP = new TopicPartition("orders", 3);
  private final PartitionWork work = new PartitionWork(TP, 10, 40);

  private void add(long from, int count) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    for (long o = from; o < from + count; o++) {
      OrderMessage m = new OrderMessage(1000 + o, 7, "u" + o, 1, 1_700_000_000_000L, 60);
      records.add(
          new ConsumerRecord<>(
              TP.topic(), TP.partition(), o, Long.toString(m.orderId()), m.toBytes()));
    }
    work.add(records);
  }

  @Test
  void batches_are_cut_in_offset_order_and_parsed() {
    add(0, 25);
    Batch first = work.next(0, 0);
    assertThat(first.firstOffset()).isZero();
    assertThat(first.lastOffset()).isEqualTo(9);
    assertThat(first.records()).isEqualTo(10);
    assertThat(first.entries()).allMatch(e -> e.order() != null);
    Batch second = work.next(0, 0);
    assertThat(second.firstOffset()).isEqualTo(10);
    assertThat(work.buffered()).isEqualTo(5);
  }

  @Test
  void no_batch_is_cut_while_one_of_the_partition_is_running_so_an_orders_events_stay_in_order() {
    add(0, 25);
    assertThat(work.next(1, 0)).isNull();
    assertThat(work.buffered()).isEqualTo(25);
  }

  @Test
  void fetching_pauses_at_the_limit_and_resumes_only_below_half_of_it() {
    add(0, 39);
    assertThat(work.holdFetching()).isFalse();
    add(39, 1);
    assertThat(work.holdFetching()).isTrue();
    work.next(0, 0);
    assertThat(work.buffered()).isEqualTo(30);
    assertThat(work.holdFetching()).as("30 is still above half of 40").isTrue();
    work.next(0, 0);
    work.next(0, 0);
    assertThat(work.buffered()).isEqualTo(10);
    assertThat(work.holdFetching()).isFalse();
  }

  @Test
  void records_never_wait_for_a_time_only_for_a_free_slot() {
    add(0, 1);
    assertThat(work.readyAt()).isEqualTo(Long.MAX_VALUE);
    work.clear();
    assertThat(work.next(0, 0)).isNull();
  }
}
