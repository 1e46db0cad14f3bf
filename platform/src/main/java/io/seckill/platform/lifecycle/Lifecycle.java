package io.seckill.platform.lifecycle;

import io.vertx.core.Future;

/**
 * The shape every Seckill service has, so the launcher starts, watches and stops any of them the
 * same way: start → (ready, when start's future completes) → close → terminated. Schema and topics
 * exist before start (the launcher, or a test's servers, set them up once). A service whose work
 * ended on its own (a consumer loop that died) completes terminated() without close(): the process
 * should then exit so its supervisor restarts it.
 *
 * <p>The consumer services also offer {@code halt()}, the one name for the test hook that stops a
 * service as a crash would (nothing committed, nothing flushed): the gateway has no such hook, a
 * test kills a gateway process instead.
 */
public interface Lifecycle {

  /**
   * Connects and starts working; completes once the service does its job (some say with what: the
   * gateway, its port).
   */
  Future<?> start();

  /**
   * Graceful: finishes or hands back what is in progress, commits, releases every connection.
   * Repeatable.
   */
  Future<Void> close();

  /** Completes once the service has stopped working, after close() or on its own. */
  Future<Void> terminated();
}
