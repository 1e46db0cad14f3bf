package io.seckill.gateway.http;

import io.seckill.gateway.domain.Text;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Set;

/** Strict reading of request bodies: a JSON object, known fields only, right types. */
final class JsonBodies {
  private JsonBodies() {}

  static JsonObject object(Buffer body, boolean emptyAllowed, Set<String> knownFields) {
    if (body == null || body.length() == 0 || body.toString().isBlank()) {
      if (emptyAllowed) return new JsonObject();
      throw Problem.INVALID_REQUEST.with("a JSON body is required");
    }
    Object parsed;
    try {
      // Integers too large for a long arrive as BigInteger and are refused by integer(), never
      // silently truncated.
      parsed = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw Problem.INVALID_REQUEST.with("the body is not valid JSON");
    }
    if (!(parsed instanceof JsonObject json))
      throw Problem.INVALID_REQUEST.with("the body must be a JSON object");
    for (String field : json.fieldNames()) {
      if (!knownFields.contains(field))
        throw Problem.INVALID_REQUEST.with("unknown field '" + field + "'");
    }
    return json;
  }

  static long integer(JsonObject json, String field, long min, long max, Long defaultValue) {
    Object v = json.getValue(field);
    if (v == null) {
      if (defaultValue != null) return defaultValue;
      throw Problem.INVALID_REQUEST.with("'" + field + "' is required");
    }
    if (!(v instanceof Number n)
        || n instanceof Double
        || n instanceof Float
        || n instanceof BigDecimal
        || n instanceof BigInteger) {
      throw Problem.INVALID_REQUEST.with(
          "'" + field + "' must be an integer between " + min + " and " + max);
    }
    long value = n.longValue();
    if (value < min || value > max) {
      throw Problem.INVALID_REQUEST.with(
          "'" + field + "' must be an integer between " + min + " and " + max);
    }
    return value;
  }

  static String text(JsonObject json, String field, int maxLength) {
    Object v = json.getValue(field);
    if (!(v instanceof String s) || s.isBlank())
      throw Problem.INVALID_REQUEST.with("'" + field + "' must be a non-empty string");
    if (s.length() > maxLength)
      throw Problem.INVALID_REQUEST.with("'" + field + "' is longer than " + maxLength);
    return Text.storable(field, s);
  }
}
