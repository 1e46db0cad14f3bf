package io.seckill.platform.config;

/**
 * One configuration knob: its environment variable, its default and what it is for. The README
 * table is printed from these.
 */
public record Setting(String env, String defaultValue, String description) {

  /** The command-line flag that may override the env var, e.g. SECKILL_HTTP_PORT -> --http-port. */
  public String flag() {
    return "--" + env.substring("SECKILL_".length()).toLowerCase().replace('_', '-');
  }
}
