package io.seckill.platform.kafka;

import io.seckill.platform.config.Servers;
import io.seckill.platform.config.Topics;
import io.seckill.platform.contract.DelayLevels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the orders, delay and dead-letter topics if missing. Blocking: call it at start, off the
 * event loop.
 */
public final class TopicSetup {
  private TopicSetup() {}

  public static void ensure(Servers servers, DelayLevels levels) {
    Topics t = servers.topics();
    Map<String, String> configs =
        Map.of(
            "min.insync.replicas",
            Integer.toString(t.minInsyncReplicas()),
            "unclean.leader.election.enable",
            "false");
    List<NewTopic> wanted =
        List.of(
            new NewTopic(t.orders(), t.ordersPartitions(), t.replicationFactor()).configs(configs),
            new NewTopic(t.delay(), levels.count(), t.replicationFactor()).configs(configs),
            new NewTopic(t.deadLetter(), 1, t.replicationFactor()).configs(configs));
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                servers.kafkaBootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                30_000))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = wanted.stream().filter(n -> !existing.contains(n.name())).toList();
      if (!missing.isEmpty()) {
        try {
          admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          // Another service created them at the same moment: fine.
          if (!(e.getCause() instanceof TopicExistsException)) throw e;
        }
      }
      awaitLeaders(admin, wanted.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot create topics on " + servers.kafkaBootstrap() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A topic is usable once every partition has a leader. Producing into a partition a moment
   * earlier gets NOT_LEADER_OR_FOLLOWER, and an idempotent producer's retried first batch can then
   * stall the partition until its delivery timeout: so services start only after this.
   */
  private static void awaitLeaders(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        if (leadersAnswer(admin, topics)) return;
      } catch (ExecutionException e) {
        // A broker may not know a topic created a moment ago (UnknownTopicOrPartition is
        // retriable), whether it is
        // asked to describe it or to list its offsets: look again shortly.
        if (!(e.getCause() instanceof RetriableException)) throw e;
      }
      if (System.currentTimeMillis() > deadline)
        throw new TimeoutException("partitions without a leader: " + topics);
      Thread.sleep(100);
    }
  }

  /** True once every partition has a leader that answers ListOffsets itself. */
  private static boolean leadersAnswer(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> described =
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
    boolean ready =
        described.values().stream()
            .allMatch(
                d ->
                    d.partitions().stream()
                        .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
    if (!ready) return false;
    // The controller names a leader before that broker acts as one; ListOffsets is answered by the
    // leader itself
    // (the admin client retries NOT_LEADER), so once it succeeds for every partition, produces will
    // too.
    Map<TopicPartition, OffsetSpec> all = new HashMap<>();
    described
        .values()
        .forEach(
            d ->
                d.partitions()
                    .forEach(
                        p ->
                            all.put(
                                new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
    admin.listOffsets(all).all().get(30, TimeUnit.SECONDS);
    return true;
  }
}
