package io.seckill.infra;

import org.apache.kafka.common.utils.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops an embedded Kafka server from ending the JVM it shares with the application or the tests.
 *
 * <p>On a fatal fault (a log directory gone, a metadata error) a broker calls {@code Exit.halt},
 * which as a standalone server is right, but here it would kill every test or service in the JVM
 * with no word of why. Instead the fault is logged at ERROR and the call throws, which ends only
 * the Kafka thread that made it. Kafka documents these hooks as test-only; a dev stack is test
 * infrastructure.
 */
final class KafkaExitGuard {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaExitGuard.class);
  private static boolean installed;

  private KafkaExitGuard() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
    Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
    installed = true;
  }

  private static void refuse(String call, int status, String message) {
    LOG.error(
        "an embedded kafka server called {}({}){}; the JVM keeps running, but that server is broken",
        call,
        status,
        message == null ? "" : ": " + message);
    throw new IllegalStateException(
        "embedded kafka tried to " + call + " the JVM with status " + status);
  }
}
