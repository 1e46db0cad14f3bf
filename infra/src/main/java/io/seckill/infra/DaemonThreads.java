package io.seckill.infra;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for starting and stopping servers side by side; daemons, so they never hold the JVM open.
 */
final class DaemonThreads {

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService EXECUTOR =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "seckill-infra-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  private DaemonThreads() {}

  static ExecutorService executor() {
    return EXECUTOR;
  }
}
