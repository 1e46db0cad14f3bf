package io.seckill.gateway.http;

import java.util.Locale;
import java.util.Set;

/**
 * Tells a dependency that did not answer (timeout, pool exhausted, connection refused or closed) from a bug. The
 * first is 503 overloaded: the client may retry, and any admission it caused is swept or released like every other.
 */
final class Unavailable {
  private static final Set<String> TYPES = Set.of("TimeoutException", "NoStackTraceTimeoutException",
      "ConnectionPoolTooBusyException", "ClosedConnectionException", "ConnectException", "ConnectTimeoutException");
  private static final String[] MESSAGES = {"timeout", "timed out", "max wait queue", "connection refused",
      "connection closed", "connection was closed", "too busy"};

  private Unavailable() {
  }

  static boolean is(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (TYPES.contains(t.getClass().getSimpleName())) return true;
      String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      for (String s : MESSAGES) {
        if (m.contains(s)) return true;
      }
    }
    return false;
  }
}
