package io.seckill.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatling.app.Gatling$;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The smoke run of the normal build: starts the packaged system (`seckill.jar up`) on a free port
 * and runs the rush and abuse scenarios at toy size against it, with all their assertions and
 * post-run checks (drain, audit, checker). Gatling runs inside this JVM so that the checker's
 * verdict can be asserted on directly.
 */
class LoadSmokeIT {
  private static SeckillProcess system;

  @BeforeAll
  static void startSystem() throws Exception {
    system =
        SeckillProcess.start(
            SeckillProcess.path("seckill.jar", "../launcher/target/seckill.jar"),
            SeckillProcess.path("smoke.results", "target/gatling-smoke").resolve("seckill-up.log"),
            Duration.ofSeconds(180));
  }

  @AfterAll
  static void stopSystem() {
    if (system != null) system.close();
  }

  @Test
  void rush() {
    run(
        RushSimulation.class,
        Map.of(
            "users", "300",
            "stock", "40",
            "ramp.seconds", "3",
            "pay.fraction", "0.5",
            // A small warm-up keeps that phase of the scenario tested without adding much time.
            "warmup.users", "100",
            "warmup.seconds", "2",
            // The smoke shares two cores with the whole embedded stack; it checks correctness, not
            // speed.
            "p99.ms", "10000"));
  }

  @Test
  void abuse() {
    run(AbuseSimulation.class, Map.of("users", "3", "p99.ms", "10000"));
  }

  private static void run(Class<?> simulation, Map<String, String> params) {
    Map<String, String> props = new LinkedHashMap<>(params);
    props.put("base.url", system.baseUrl());
    props.put("poll.timeout.seconds", "20");
    props.put("drain.timeout.seconds", "30");
    props.forEach(System::setProperty);
    Verdict.clear();
    int status;
    try {
      Path results = SeckillProcess.path("smoke.results", "target/gatling-smoke");
      status =
          Gatling$.MODULE$.fromArgs(
              new String[] {"-s", simulation.getName(), "-rf", results.toString()});
    } finally {
      props.keySet().forEach(System::clearProperty);
    }

    Verdict.Result verdict = Verdict.last();
    assertThat(verdict)
        .as("the post-run checks ran (see the output above; system log %s)", system.log())
        .isNotNull();
    assertThat(verdict.failures()).as("post-run checks").isEmpty();
    assertThat(verdict.skipped()).as("post-run checks that could not run").isEmpty();
    assertThat(verdict.report()).as("checker report").isNotNull();
    assertThat(verdict.report().lost()).as("lost").isZero();
    assertThat(verdict.report().duplicated()).as("duplicated").isZero();
    assertThat(verdict.report().unexpected()).as("unexpected").isZero();
    assertThat(verdict.report().contradicted()).as("contradicted").isZero();
    assertThat(verdict.audit().path("consistent").asBoolean()).as("audit consistent").isTrue();
    assertThat(status)
        .as("Gatling exit status (assertions: no failed request, p99 bound)")
        .isZero();
  }
}
