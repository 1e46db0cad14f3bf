package io.seckill.platform.contract;

import io.vertx.core.json.JsonObject;

/** Field readers that turn any wrong shape into a MalformedMessageException naming the field. */
final class Wire {
  private Wire() {}

  static long id(JsonObject j, String field) {
    return id(j.getValue(field), field);
  }

  /** An id given as a decimal string (JSON numbers lose precision past 2^53 in other readers). */
  static long id(Object value, String field) {
    if (!(value instanceof String s) || s.isBlank())
      throw new MalformedMessageException(field + " missing or not a string");
    try {
      long v = Long.parseLong(s);
      if (v <= 0) throw new MalformedMessageException(field + " must be positive");
      return v;
    } catch (NumberFormatException e) {
      throw new MalformedMessageException(field + " is not an id: " + s);
    }
  }

  static String text(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (!(v instanceof String s) || s.isBlank())
      throw new MalformedMessageException(field + " missing or not a string");
    return s;
  }

  static long positiveLong(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (!(v instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
      throw new MalformedMessageException(field + " missing or not a positive integer");
    }
    return n.longValue();
  }

  static int positiveInt(JsonObject j, String field) {
    long v = positiveLong(j, field);
    if (v > Integer.MAX_VALUE) throw new MalformedMessageException(field + " too large");
    return (int) v;
  }
}
