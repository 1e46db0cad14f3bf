package io.seckill.platform.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineMessageTest {

  @Test
  void orders_of_one_sale_due_at_one_instant_share_a_record_of_at_most_the_cap() {
    List<DeadlineMessage> all = new ArrayList<>();
    for (long id = 1; id <= 2500; id++) all.add(new DeadlineMessage(id, 7, 1_000));
    all.add(new DeadlineMessage(9001, 8, 1_000));
    all.add(new DeadlineMessage(9002, 7, 2_000));
    List<DeadlineMessage.Bulk> bulks = DeadlineMessage.bulk(all, 1000);
    assertThat(bulks).extracting(b -> b.orderIds().size()).containsExactly(1000, 1000, 500, 1, 1);
    assertThat(bulks.get(3)).isEqualTo(new DeadlineMessage.Bulk(8, 1_000, List.of(9001L)));
    assertThat(bulks.get(4)).isEqualTo(new DeadlineMessage.Bulk(7, 2_000, List.of(9002L)));
  }

  @Test
  void a_bulk_record_reads_back_as_every_order_it_carries() {
    byte[] bytes = new DeadlineMessage.Bulk(7, 1_234, List.of(3L, 1L, Long.MAX_VALUE)).toBytes();
    assertThat(DeadlineMessage.parseAll(bytes))
        .containsExactly(
            new DeadlineMessage(3, 7, 1_234),
            new DeadlineMessage(1, 7, 1_234),
            new DeadlineMessage(Long.MAX_VALUE, 7, 1_234));
  }

  @Test
  void a_single_record_as_written_before_bulk_records_is_still_read() {
    byte[] bytes = new DeadlineMessage(42, 7, 99).toBytes();
    assertThat(DeadlineMessage.parseAll(bytes)).containsExactly(new DeadlineMessage(42, 7, 99));
    assertThat(DeadlineMessage.parse(bytes)).isEqualTo(new DeadlineMessage(42, 7, 99));
  }

  @Test
  void a_bulk_record_with_a_bad_or_missing_id_is_malformed() {
    for (String json :
        List.of(
            "{\"saleId\":\"7\",\"dueAt\":5,\"orderIds\":[\"1\",2]}",
            "{\"saleId\":\"7\",\"dueAt\":5,\"orderIds\":[]}",
            "{\"saleId\":\"7\",\"dueAt\":5,\"orderIds\":\"1\"}",
            "{\"saleId\":\"7\",\"dueAt\":5,\"orderIds\":[\"-1\"]}",
            "{\"dueAt\":5,\"orderIds\":[\"1\"]}")) {
      assertThatThrownBy(() -> DeadlineMessage.parseAll(json.getBytes(StandardCharsets.UTF_8)))
          .as(json)
          .isInstanceOf(MalformedMessageException.class);
    }
  }
}
