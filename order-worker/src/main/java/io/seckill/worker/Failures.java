package io.seckill.worker;

import io.vertx.sqlclient.DatabaseException;
import java.util.concurrent.CancellationException;

/**
 * Tells a record that can never be written (retrying changes nothing) from a server that is away
 * for a while. Only PostgreSQL's verdict on the data itself counts as poison: SQLSTATE class 23
 * (integrity constraint) and 22 (data exception). Everything else is retried, because dropping a
 * record on a misjudged error loses an order, while retrying a hopeless one only stalls its
 * partition and shows up in the lag and the logs.
 */
final class Failures {
  /**
   * SQLSTATE classes of PostgreSQL's verdicts on the data: integrity constraint violation, data
   * exception.
   */
  private static final String INTEGRITY_CONSTRAINT = "23";

  private static final String DATA_EXCEPTION = "22";

  private Failures() {}

  static boolean isPoison(Throwable e) {
    String state = sqlState(e);
    return state != null
        && (state.startsWith(INTEGRITY_CONSTRAINT) || state.startsWith(DATA_EXCEPTION));
  }

  static boolean isCancelled(Throwable e) {
    return e instanceof CancellationException;
  }

  /** The reason recorded with a dead-lettered or rejected order. */
  static String reason(Throwable e) {
    String state = sqlState(e);
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return state == null ? message : "SQLSTATE " + state + ": " + message;
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DatabaseException db) return db.getSqlState();
    }
    return null;
  }
}
