package io.seckill.loadtest;

import java.time.Duration;

/**
 * Every knob of the load tests, read from system properties so that `./seckill load rush
 * -Dusers=1000` and the Maven plugin (which forwards -D flags to the Gatling JVM) configure the
 * same thing. See loadtest/README.md.
 */
public final class LoadConfig {
  public static final String DEFAULT_SECRET = "seckill-dev-secret-change-me-in-production";

  private LoadConfig() {}

  public static String baseUrl() {
    String url = text("base.url", "http://127.0.0.1:8080");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  public static String jwtSecret() {
    String env = System.getenv("SECKILL_JWT_SECRET");
    return text("jwt.secret", env == null || env.isBlank() ? DEFAULT_SECRET : env);
  }

  /** An existing sale to drive instead of creating one in before(). */
  public static String saleId() {
    String id = System.getProperty("sale.id");
    return id == null || id.isBlank() ? null : id.trim();
  }

  public static String text(String name, String def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : v.trim();
  }

  public static int integer(String name, int def) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) return def;
    try {
      return Integer.parseInt(v.trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + name + " must be an integer, got '" + v + "'");
    }
  }

  public static double fraction(String name, double def) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) return def;
    double d = Double.parseDouble(v.trim());
    if (d < 0 || d > 1)
      throw new IllegalArgumentException("-D" + name + " must be between 0 and 1, got " + v);
    return d;
  }

  public static boolean flag(String name, boolean def) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() ? def : Boolean.parseBoolean(v.trim());
  }

  public static Duration seconds(String name, int def) {
    return Duration.ofSeconds(integer(name, def));
  }

  public static Duration millis(String name, int def) {
    return Duration.ofMillis(integer(name, def));
  }
}
