package io.seckill.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Await;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The dev cluster with every Kafka server a process of its own: killing a broker with SIGKILL is a
 * real crash.
 */
class KafkaBrokerProcessesIT {

  private static final String TOPIC = "orders-crash";
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
  private static final int ALL_REPLICAS = 3;

  @Test
  void aLeaderKilledWithSigkillLosesNoAcknowledgedWriteAndRejoinsOnItsOldPortAfterARestart()
      throws Exception {
    DevStack stack =
        DevStack.start(DevStack.Options.defaults().withKafkaBrokers(3).withKafkaProcesses(true));
    List<Long> pids = new ArrayList<>();
    try (stack;
        Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    stack.kafkaBootstrap(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                    30_000));
        KafkaProducer<String, String> producer = producer(stack)) {
      EmbeddedKafka kafka = stack.kafka();
      assertThat(kafka.runsAsProcesses()).isTrue();
      String children = Files.readString(stack.workDir().resolve(StackDir.CHILDREN));
      assertThat(children).contains("kafka-controller-0 ");
      for (int i = 0; i < kafka.brokerCount(); i++) {
        long pid = kafka.brokerPid(i);
        pids.add(pid);
        assertThat(children).contains("kafka-broker-" + kafka.brokerId(i) + " " + pid + " ");
        assertThat(ProcFs.cmdline(pid)).contains(KafkaProcessNode.MAIN_CLASS);
        assertThat(OrphanReaper.looksLikeOurServer(pid)).isTrue();
      }
      admin
          .createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThat(send(producer, "before").offset()).isZero();

      int leader = partition(admin).leader().id();
      int down = kafka.brokerIndex(leader);
      long killed = kafka.brokerPid(down);
      kafka.killBroker(down);

      assertThat(ProcFs.isRunning(killed)).isFalse();
      assertThat(kafka.isBrokerRunning(down)).isFalse();
      // acks=all still succeeds: the controller fences the dead broker and the two in sync take
      // over
      assertThat(send(producer, "while-one-is-dead").offset()).isEqualTo(1);
      assertThat(Await.until(SETTLE_TIMEOUT, () -> leaderIsNot(admin, leader))).isTrue();

      kafka.startBroker(down);
      assertThat(kafka.brokerPid(down)).isPositive().isNotEqualTo(killed);
      pids.add(kafka.brokerPid(down));
      assertThat(Await.until(SETTLE_TIMEOUT, () -> isr(admin) == ALL_REPLICAS))
          .as("the restarted broker is back in sync")
          .isTrue();
      assertThat(send(producer, "after").offset()).isEqualTo(2);
    }
    assertThat(pids).noneMatch(ProcFs::isRunning);
  }

  private static KafkaProducer<String, String> producer(DevStack stack) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            stack.kafkaBootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            (int) SEND_TIMEOUT.toMillis()),
        new StringSerializer(),
        new StringSerializer());
  }

  private static RecordMetadata send(KafkaProducer<String, String> producer, String value)
      throws Exception {
    return producer
        .send(new ProducerRecord<>(TOPIC, value, value))
        .get(SEND_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
  }

  private static boolean leaderIsNot(Admin admin, int broker) {
    try {
      TopicPartitionInfo partition = partition(admin);
      return partition.leader() != null && partition.leader().id() != broker;
    } catch (Exception e) {
      return false;
    }
  }

  private static int isr(Admin admin) {
    try {
      return partition(admin).isr().size();
    } catch (Exception e) {
      return 0;
    }
  }

  /** Retries while the broker asked has not yet heard of the topic the controller just created. */
  private static TopicPartitionInfo partition(Admin admin) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return admin
            .describeTopics(List.of(TOPIC))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(TOPIC)
            .partitions()
            .get(0);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }
}
