package io.seckill.platform.config;

import java.time.Duration;

/**
 * The checks config records run in their constructors: each refuses a value with a message naming
 * the setting's env var, what is allowed and what was given, so a bad setting stops a service at
 * start with a line an operator can act on.
 */
public final class Ranges {
  private Ranges() {}

  public static void notBlank(Setting s, String value) {
    if (value == null || value.isBlank())
      throw new IllegalArgumentException(s.env() + " must not be empty");
  }

  public static void atLeast(Setting s, long value, long min) {
    if (value < min)
      throw new IllegalArgumentException(s.env() + " must be at least " + min + ", got " + value);
  }

  public static void atMost(Setting s, long value, long max) {
    if (value > max)
      throw new IllegalArgumentException(s.env() + " must be at most " + max + ", got " + value);
  }

  public static void between(Setting s, long value, long min, long max) {
    atLeast(s, value, min);
    atMost(s, value, max);
  }

  public static void positive(Setting s, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(s.env() + " must be a positive number, got " + value);
    }
  }

  public static void positive(Setting s, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(s.env() + " must be positive, got " + value);
    }
  }

  public static void notNegative(Setting s, Duration value) {
    if (value == null || value.isNegative())
      throw new IllegalArgumentException(s.env() + " must be 0 or more, got " + value);
  }
}
