package io.seckill.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.infra.EmbeddedKafka;
import io.seckill.judge.Attempt;
import io.seckill.platform.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 7: one fault at a time, under load, against the pipeline as separate processes. After each:
 * 0 lost, 0 duplicated, 0 oversold, audit consistent (docs/SPEC.md §5). Tagged "subset" runs in
 * every `mvn verify`; the rest with -Pfaults.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultScenariosIT {
  static final Pipeline p = Pipeline.shared();

  /** How long a killed broker stays down, counted from the SIGKILL. */
  static final Duration BROKER_DOWN = Duration.ofSeconds(10);

  /**
   * The controller fences a silent broker after broker.session.timeout.ms (9 s by default), then
   * elects; this bounds it.
   */
  static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The load of a sale: purchases offered per second (-Dfaults.rate, default 2,000: about what this
   * 2-core machine carries with the whole pipeline on it; see RELIABILITY.md) for -Dfaults.seconds
   * (default 8) seconds; the stock is 90 % of the buyers, so the sale sells out near the end and
   * overselling would show.
   */
  static final double RATE = Double.parseDouble(System.getProperty("faults.rate", "2000"));

  static final int BUYERS = (int) (RATE * Integer.getInteger("faults.seconds", 8));

  static Scenario.Spec spec(String fault, int timeoutSeconds, boolean waitForDeadlines) {
    return new Scenario.Spec(
        fault, BUYERS, RATE, BUYERS * 9 / 10, timeoutSeconds, 6_000, waitForDeadlines);
  }

  static void assertClean(Scenario.Outcome o) {
    assertThat(o.lost()).as("lost: %s", o).isZero();
    assertThat(o.duplicated()).as("duplicated: %s", o).isZero();
    assertThat(o.unexpected()).as("rows nobody was answered 202 for: %s", o).isZero();
    assertThat(o.oversold()).as("oversold: %s", o).isZero();
    assertThat(o.contradicted()).as("answers the rows contradict: %s", o).isZero();
    assertThat(o.internalErrors()).as("answers 500: %s", o).isZero();
    assertThat(o.consistent()).as("audit consistent and drained: %s", o).isTrue();
    assertThat(o.recoveryMillis()).as("recovered: %s", o).isNotNegative();
    for (ServiceProcess s : p.all()) assertThat(s.isAlive()).as(s.name + " alive").isTrue();
  }

  @Test
  @Order(1)
  // Not in the CI subset: its last run on a machine loaded by other builds had 26 cancellations
  // more than 2 s late
  // (invariant 6), nothing lost or oversold; see RELIABILITY.md. It runs with -Pfaults.
  void aGatewayKilledBetweenTheRedisDecrementAndTheKafkaAckLosesNoOrderAndLeaksNoStock()
      throws Exception {
    ServiceProcess gw = p.gateways.get(0);
    Map<String, String> normal = new HashMap<>(gw.env());
    Map<String, String> slow = new HashMap<>(normal);
    slow.put(Settings.TEST_SEND_DELAY_MS.env(), "1500");
    gw.terminate();
    gw.setEnv(slow);
    gw.start();
    p.awaitReady(Duration.ofSeconds(120));
    AtomicLong killedAt = new AtomicLong();
    AtomicLong restartedAt = new AtomicLong();
    Diag diag = new Diag(p);
    Scenario.Outcome o =
        Scenario.run(
            p,
            spec("kill -9 gateway between Redis decrement and Kafka ack", 10, true),
            pipeline -> {
              killedAt.set(System.currentTimeMillis());
              gw.kill9();
              gw.setEnv(normal);
              Thread.sleep(1000);
              restartedAt.set(System.currentTimeMillis());
              gw.start();
              pipeline.awaitReady(Duration.ofSeconds(120));
              long sweeps =
                  p.gateways
                      .get(1)
                      .logText()
                      .lines()
                      .filter(l -> l.contains("orphaned reservations"))
                      .count();
              return "killed with 1.5 s between decrement and send; the other gateway's sweeper ran on orphans "
                  + sweeps
                  + " time(s); stock released before persisting: "
                  + "see audit";
            });
    diag.close();
    diag.lateOrders(
        Long.parseLong(o.audit().getString("saleId")), killedAt.get(), restartedAt.get());
    long unanswered =
        o.ledger().snapshot().stream()
            .filter(a -> a.gateway() == 0 && !a.answered() && a.kind() == Attempt.Kind.PURCHASE)
            .count();
    Results.note(
        p,
        "scenarios.log",
        "gateway kill: "
            + unanswered
            + " purchases at the killed gateway got no answer; released "
            + o.audit().getJsonObject("stockReleasedBeforePersisting"));
    assertThat(unanswered).as("the kill landed on purchases in the window").isPositive();
    assertClean(o);
  }

  @Test
  @Order(2)
  // Not in the CI subset: timing-sensitive on a 2-core machine (one run had 1 of 1,177
  // cancellations 2 s late while
  // the killed worker's JVM restarted); it runs with -Pfaults and its result is in RELIABILITY.md.
  void aWorkerKilledMidBatchLeavesEveryOrderPersistedOnce() throws Exception {
    assertClean(
        Scenario.run(
            p,
            spec("kill -9 order worker mid-batch", 10, true),
            pipeline -> {
              ServiceProcess w = pipeline.workers.get(0);
              w.kill9();
              Thread.sleep(1000);
              w.start();
              return "restarted at once; its partitions waited for the session timeout ("
                  + Pipeline.SESSION_TIMEOUT_MS / 1000
                  + " s)";
            }));
  }

  @Test
  @Order(2)
  void aGatewayAndAWorkerStoppedWithSigtermUnderLoadFinishTheirWorkAndLoseNothing()
      throws Exception {
    assertClean(
        Scenario.run(
            p,
            spec(
                "SIGTERM a gateway and an order worker under load (graceful stop), then restart",
                10,
                true),
            pipeline -> {
              ServiceProcess gw = pipeline.gateways.get(1);
              ServiceProcess w = pipeline.workers.get(1);
              long t = System.nanoTime();
              gw.terminate();
              w.terminate();
              long stopMillis = (System.nanoTime() - t) / 1_000_000;
              gw.start();
              w.start();
              pipeline.awaitReady(Duration.ofSeconds(120));
              return "both stopped gracefully in "
                  + stopMillis
                  + " ms (in-flight purchases answered, batches finished and"
                  + " committed) and restarted";
            }));
  }

  @Test
  @Order(3)
  void aKafkaBrokerLeadingAPartitionKilledWithSigkillUnderLoadAndRestartedLosesNothing()
      throws Exception {
    assertClean(
        Scenario.run(
            p,
            spec(
                "kill -9 the Kafka broker process leading orders-0, restart after 10 s", 60, false),
            pipeline -> {
              EmbeddedKafka kafka = pipeline.stack.kafka();
              String orders = pipeline.servers.topics().orders();
              int leader =
                  PartitionLeader.of(pipeline.admin, orders, 0)
                      .orElseThrow(() -> new IllegalStateException(orders + "-0 has no leader"));
              int index = kafka.brokerIndex(leader);
              long pid = kafka.brokerPid(index);
              long killedAt = System.nanoTime();
              kafka.killBroker(index);
              int successor =
                  PartitionLeader.awaitOtherThan(
                      pipeline.admin, orders, 0, leader, ELECTION_TIMEOUT);
              long electedMillis = (System.nanoTime() - killedAt) / 1_000_000;
              Thread.sleep(
                  Math.max(0, BROKER_DOWN.toMillis() - (System.nanoTime() - killedAt) / 1_000_000));
              long restartedAt = System.nanoTime();
              kafka.startBroker(index);
              long rejoinedMillis = (System.nanoTime() - restartedAt) / 1_000_000;
              return "broker "
                  + leader
                  + " (leader of orders-0, pid "
                  + pid
                  + ") SIGKILLed; broker "
                  + successor
                  + " led orders-0 "
                  + electedMillis
                  + " ms after the kill; restarted after "
                  + BROKER_DOWN.toSeconds()
                  + " s, serving again (log recovered,"
                  + " unfenced) "
                  + rejoinedMillis
                  + " ms later";
            }));
  }

  @Test
  @Order(4)
  void aWorkerFrozenBeyondItsSessionAndPollIntervalComesBackAsAZombieThatCommitsNothing()
      throws Exception {
    ServiceProcess w = p.workers.get(0);
    int before = w.logText().length();
    Scenario.Outcome o =
        Scenario.run(
            p,
            spec("SIGSTOP an order worker 16 s, then SIGCONT", 10, true),
            pipeline -> {
              w.signal("STOP");
              Thread.sleep(16_000);
              w.signal("CONT");
              Thread.sleep(4_000);
              return "frozen 16 s (session timeout "
                  + Pipeline.SESSION_TIMEOUT_MS / 1000
                  + " s, max.poll.interval "
                  + Pipeline.MAX_POLL_INTERVAL_MS / 1000
                  + " s)";
            });
    String after = w.logText().substring(before);
    boolean lost = after.contains("partitions lost");
    Results.note(
        p,
        "scenarios.log",
        "zombie worker log after SIGCONT: partitions lost="
            + lost
            + ", commit failed="
            + after.contains("offset commit failed"));
    assertClean(o);
  }

  @Test
  @Order(5)
  void redisKilledAndRestartedUnderLoadKeepsEveryAcknowledgedAdmission() throws Exception {
    assertClean(
        Scenario.run(
            p,
            spec("kill -9 Redis (AOF everysec), restart at once", 10, true),
            pipeline -> {
              long pid = pipeline.stack.redis().pid();
              ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
              long t = System.nanoTime();
              while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                Thread.sleep(10);
              pipeline.stack.redis().stop();
              pipeline.stack.redis().start();
              return "redis pid "
                  + pid
                  + " SIGKILLed; back (AOF replayed) in "
                  + (System.nanoTime() - t) / 1_000_000
                  + " ms";
            }));
  }

  /**
   * How long the Redis stall lasts; the gateways' call timeout in that scenario is shorter, see
   * below.
   */
  static final Duration REDIS_STALL = Duration.ofSeconds(3);

  static final String STALL_CALL_TIMEOUT_MS = "1000";

  @Test
  @Order(5)
  void redisStalledForThreeSecondsInTheMiddleOfGroupAdmissionsAnswersNo500AndLosesNothing()
      throws Exception {
    // SECKILL_CALL_TIMEOUT_MS defaults to 5 s and Pipeline leaves it so: longer than the stall, no
    // group would time out
    // and the stall would only look slow. At 1 s the groups in flight time out, and so do the
    // releases sent behind them
    // while Redis stays stopped (504), while those of the last second meet a Redis awake again (503
    // or 202).
    List<Map<String, String>> normal = new ArrayList<>();
    List<Map<String, String>> shortTimeout = new ArrayList<>();
    for (ServiceProcess gw : p.gateways) {
      normal.add(new HashMap<>(gw.env()));
      Map<String, String> env = new HashMap<>(gw.env());
      env.put(Settings.CALL_TIMEOUT_MS.env(), STALL_CALL_TIMEOUT_MS);
      shortTimeout.add(env);
    }
    long[] stall = new long[2];
    restartGateways(shortTimeout);
    try {
      // The stall 3 s into the rush (which launches for 8 s at least, longer when the machine
      // cannot keep up), so groups
      // are admitted before it and after it.
      Scenario.Spec base =
          spec("SIGSTOP Redis 3 s in the middle of group admissions, then SIGCONT", 10, true);
      Scenario.Spec early =
          new Scenario.Spec(
              base.fault(), base.buyers(), base.perSecond(), base.stock(), 10, 3_000, true);
      Scenario.Outcome o =
          Scenario.run(
              p,
              early,
              pipeline -> {
                long pid = pipeline.stack.redis().pid();
                stall[0] = System.currentTimeMillis();
                ServiceProcess.signal(pid, "STOP");
                try {
                  Thread.sleep(REDIS_STALL.toMillis());
                } finally {
                  ServiceProcess.signal(pid, "CONT");
                  stall[1] = System.currentTimeMillis();
                }
                return "redis pid "
                    + pid
                    + " SIGSTOPped for "
                    + (stall[1] - stall[0])
                    + " ms, then SIGCONT; gateways' "
                    + Settings.CALL_TIMEOUT_MS.env()
                    + "="
                    + STALL_CALL_TIMEOUT_MS
                    + " (default "
                    + Settings.CALL_TIMEOUT_MS.defaultValue()
                    + ")";
              });
      List<Attempt> purchases =
          o.ledger().snapshot().stream().filter(a -> a.kind() == Attempt.Kind.PURCHASE).toList();
      long admittedBefore =
          purchases.stream()
              .filter(a -> a.status() == 202 && a.answeredAtMillis() < stall[0])
              .count();
      long admittedAfter =
          purchases.stream().filter(a -> a.status() == 202 && a.atMillis() >= stall[1]).count();
      // A group's purchases end 503/504 one call timeout after it was sent, at the earliest; up to
      // the last releases.
      long endedByTimeout =
          purchases.stream()
              .filter(
                  a ->
                      (a.status() == 503 || a.status() == 504)
                          && a.answeredAtMillis() >= stall[0]
                          && a.answeredAtMillis()
                              <= stall[1] + 2 * Long.parseLong(STALL_CALL_TIMEOUT_MS))
              .count();
      Results.note(
          p,
          "scenarios.log",
          "redis stall: purchases admitted (202) answered before the SIGSTOP "
              + admittedBefore
              + ", purchases ended 503/504 during the stall "
              + endedByTimeout
              + ", purchases sent after the SIGCONT and admitted "
              + admittedAfter);
      assertThat(admittedBefore).as("admissions before the stall: %s", o).isPositive();
      assertThat(endedByTimeout)
          .as("groups in flight timed out during the stall: %s", o)
          .isPositive();
      assertThat(admittedAfter).as("admissions after the stall: %s", o).isPositive();
      assertClean(o);
    } finally {
      restartGateways(normal);
    }
  }

  /**
   * Both gateways stopped (SIGTERM) and started again with these environments; returns when the
   * pipeline is ready.
   */
  private static void restartGateways(List<Map<String, String>> envs) {
    for (int i = 0; i < p.gateways.size(); i++) {
      ServiceProcess gw = p.gateways.get(i);
      gw.terminate();
      gw.setEnv(envs.get(i));
      gw.start();
    }
    p.awaitReady(Duration.ofSeconds(120));
  }

  @Test
  @Order(6)
  void postgresqlStoppedForTenSecondsUnderLoadLosesNothing() throws Exception {
    assertClean(
        Scenario.run(
            p,
            spec("stop PostgreSQL for 10 s", 60, false),
            pipeline -> {
              pipeline.stack.postgres().stop();
              Thread.sleep(10_000);
              pipeline.stack.postgres().start();
              return "stopped (fast shutdown) and started again after 10 s";
            }));
  }

  @Test
  @Order(6)
  void postgresqlRestartedWhileTheDelayServiceCancelsAWaveOfDeadlinesLosesNothing()
      throws Exception {
    // Payment deadline 6 s and the fault at 6 s + 2 s: the first buyers' deadlines are being
    // cancelled (row updates in
    // PostgreSQL, then stock back in Redis) when PostgreSQL goes down, and the rest fall due while
    // it restarts.
    Scenario.Spec base =
        spec("restart PostgreSQL while the delay service cancels a wave of deadlines", 6, true);
    Scenario.Spec wave =
        new Scenario.Spec(
            base.fault(), base.buyers(), base.perSecond(), base.stock(), 6, 8_000, true);
    assertClean(
        Scenario.run(
            p,
            wave,
            pipeline -> {
              long t = System.nanoTime();
              pipeline.stack.postgres().stop();
              pipeline.stack.postgres().start();
              long down = (System.nanoTime() - t) / 1_000_000;
              return "PostgreSQL stopped (fast shutdown) and started again at once, "
                  + down
                  + " ms without it, 2 s into the"
                  + " deadline wave";
            }));
  }

  @Test
  @Order(7)
  void theWorkerGroupResetBackByNOffsetsWritesNoDuplicate() throws Exception {
    int n = 300;
    assertClean(
        Scenario.run(
            p,
            spec("reset the worker group's offsets back by 300 per partition", 10, true),
            pipeline -> {
              for (ServiceProcess w : pipeline.workers) w.terminate();
              String group = Pipeline.WORKER_GROUP;
              long deadline = System.currentTimeMillis() + 30_000;
              while (!pipeline
                      .admin
                      .describeConsumerGroups(Set.of(group))
                      .all()
                      .get(10, TimeUnit.SECONDS)
                      .get(group)
                      .members()
                      .isEmpty()
                  && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
              }
              Map<TopicPartition, OffsetAndMetadata> committed =
                  pipeline
                      .admin
                      .listConsumerGroupOffsets(group)
                      .partitionsToOffsetAndMetadata()
                      .get(10, TimeUnit.SECONDS);
              Map<TopicPartition, OffsetAndMetadata> back = new HashMap<>();
              long replayed = 0;
              for (var e : committed.entrySet()) {
                if (!e.getKey().topic().equals(pipeline.servers.topics().orders())
                    || e.getValue() == null) continue;
                long to = Math.max(0, e.getValue().offset() - n);
                replayed += e.getValue().offset() - to;
                back.put(e.getKey(), new OffsetAndMetadata(to));
              }
              pipeline.admin.alterConsumerGroupOffsets(group, back).all().get(30, TimeUnit.SECONDS);
              for (ServiceProcess w : pipeline.workers) w.start();
              return "both workers stopped (SIGTERM), offsets of "
                  + back.size()
                  + " partitions moved back, "
                  + replayed
                  + " records delivered again";
            }));
  }

  @Test
  @Order(8)
  void poisonRecordsOnTheOrdersAndDelayTopicsAreDeadLetteredAndTheConsumersGoOn() throws Exception {
    String run = "poison-" + System.currentTimeMillis();
    Poison.Sent[] sent = new Poison.Sent[1];
    Scenario.Outcome o =
        Scenario.run(
            p,
            spec("poison records on orders and on the delay topic", 6, true),
            pipeline -> {
              sent[0] = Poison.send(pipeline, run, 1);
              return sent[0].orders()
                  + " poison records on orders, "
                  + sent[0].delay()
                  + " on the delay topic";
            });
    assertClean(o);
    Poison.assertDeadLettered(p, run, sent[0]);
  }
}
