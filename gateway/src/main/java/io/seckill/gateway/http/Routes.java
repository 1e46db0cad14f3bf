package io.seckill.gateway.http;

import io.vertx.ext.web.Router;

/**
 * One resource's routes (sales, purchases, orders, admin, pages, health). Each HTTP verticle asks
 * for a fresh set on its own event loop and mounts them on its router, so per-loop state (a
 * purchase path, a cache of encoded answers) stays on that loop.
 */
@FunctionalInterface
public interface Routes {

  /**
   * Handlers that must answer before the request body is read (the purchase route's sold-out
   * shortcut).
   */
  default void mountBeforeBody(Router router) {}

  /** The resource's routes; the body is read (and limited) by then. */
  void mount(Router router);

  /** Called when the verticle stops; releases what this set owns. */
  default void close() {}
}
