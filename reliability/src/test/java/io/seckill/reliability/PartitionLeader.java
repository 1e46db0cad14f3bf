package io.seckill.reliability;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.Node;

/**
 * Which broker leads a partition, as the cluster's metadata says; a partition between leaders has
 * none.
 */
final class PartitionLeader {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 50;

  private PartitionLeader() {}

  /**
   * The leader's node id; empty while the partition has no leader or no broker answers within the
   * call timeout.
   */
  static OptionalInt of(Admin admin, String topic, int partition) {
    try {
      Node leader =
          admin
              .describeTopics(
                  Set.of(topic),
                  new DescribeTopicsOptions().timeoutMs((int) CALL_TIMEOUT.toMillis()))
              .allTopicNames()
              .get(CALL_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS)
              .get(topic)
              .partitions()
              .get(partition)
              .leader();
      return leader == null || leader.isEmpty() ? OptionalInt.empty() : OptionalInt.of(leader.id());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      return OptionalInt.empty();
    }
  }

  /**
   * Polls until a broker other than {@code former} leads the partition; returns that broker's node
   * id.
   */
  static int awaitOtherThan(Admin admin, String topic, int partition, int former, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      OptionalInt leader = of(admin, topic, partition);
      if (leader.isPresent() && leader.getAsInt() != former) return leader.getAsInt();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            topic + "-" + partition + " still led by " + former + " (or by none) after " + timeout);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
