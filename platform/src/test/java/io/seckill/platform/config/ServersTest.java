package io.seckill.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServersTest {

  @Test
  void theDefaultsDescribeTheDevStack() {
    Servers servers = Servers.from(new Env(Map.of()));

    assertThat(servers.pgPoolSize()).isEqualTo(8);
    assertThat(servers.topics().replicationFactor()).isEqualTo((short) 1);
    assertThat(servers.topics().minInsyncReplicas()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
    "SECKILL_PG_POOL_SIZE, 0", "SECKILL_REDIS_POOL_SIZE, -1", "SECKILL_CALL_TIMEOUT_MS, 0",
    "SECKILL_KAFKA_DELIVERY_TIMEOUT_MS, -5", "SECKILL_ORDERS_PARTITIONS, 0",
        "SECKILL_REPLICATION_FACTOR, 0",
    "SECKILL_REPLICATION_FACTOR, 65537", "SECKILL_MIN_INSYNC_REPLICAS, 2",
        "SECKILL_MIN_INSYNC_REPLICAS, 0"
  })
  void aValueOutOfRangeIsRefusedAtStartNamingItsVariable(String variable, String value) {
    assertThatThrownBy(() -> Servers.from(new Env(Map.of(variable, value))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(variable)
        .hasMessageContaining("got");
  }

  @Test
  void aReplicationFactorBeyondAShortIsRefusedRatherThanNarrowed() {
    // 65,537 narrowed to a short is 1: the topic would be created with one replica.
    assertThatThrownBy(() -> Topics.from(new Env(Map.of("SECKILL_REPLICATION_FACTOR", "65537"))))
        .hasMessage("SECKILL_REPLICATION_FACTOR must be at most 32767, got 65537");
  }

  @Test
  void theProductionShapeIsAccepted() {
    Topics topics =
        Topics.from(
            new Env(Map.of("SECKILL_REPLICATION_FACTOR", "3", "SECKILL_MIN_INSYNC_REPLICAS", "2")));

    assertThat(topics.replicationFactor()).isEqualTo((short) 3);
    assertThat(topics.minInsyncReplicas()).isEqualTo(2);
  }
}
