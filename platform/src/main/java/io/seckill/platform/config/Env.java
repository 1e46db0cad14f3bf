package io.seckill.platform.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads settings once, from the environment with optional overrides (flags, tests). Bad values fail
 * at start.
 */
public final class Env {
  private final Map<String, String> values;

  public Env(Map<String, String> values) {
    this.values = Map.copyOf(values);
  }

  public static Env system() {
    return new Env(System.getenv());
  }

  /** This environment with some settings replaced, e.g. the dev stack's addresses. */
  public Env with(Map<String, String> overrides) {
    Map<String, String> merged = new HashMap<>(values);
    merged.putAll(overrides);
    return new Env(merged);
  }

  public Env with(Setting setting, Object value) {
    return with(Map.of(setting.env(), String.valueOf(value)));
  }

  public String get(Setting s) {
    String v = values.get(s.env());
    return v == null || v.isBlank() ? s.defaultValue() : v.trim();
  }

  /** Whether the setting was given (by env var or flag), rather than left to its default. */
  public boolean isSet(Setting s) {
    String v = values.get(s.env());
    return v != null && !v.isBlank();
  }

  /** An int; a number beyond int's range is refused (naming the env var), never truncated. */
  public int getInt(Setting s) {
    long value = getLong(s);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          s.env()
              + " must be between "
              + Integer.MIN_VALUE
              + " and "
              + Integer.MAX_VALUE
              + ", got "
              + value);
    }
    return (int) value;
  }

  public long getLong(Setting s) {
    try {
      return Long.parseLong(get(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s.env() + " must be a number, got '" + get(s) + "'");
    }
  }

  public double getDouble(Setting s) {
    try {
      double value = Double.parseDouble(get(s));
      if (Double.isNaN(value) || Double.isInfinite(value)) throw new NumberFormatException();
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s.env() + " must be a number, got '" + get(s) + "'");
    }
  }

  public boolean getBoolean(Setting s) {
    return Boolean.parseBoolean(get(s));
  }

  public Duration getMillis(Setting s) {
    return Duration.ofMillis(getLong(s));
  }

  public List<String> getList(Setting s) {
    return Arrays.stream(get(s).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }

  /** Parses 500ms, 10s, 2m, 1h. */
  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase();
    try {
      if (t.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      long n = Long.parseLong(t.substring(0, t.length() - 1));
      return switch (t.charAt(t.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new IllegalArgumentException("unknown unit in '" + text + "'");
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a duration: '" + text + "' (use 500ms, 10s, 2m, 1h)");
    }
  }
}
