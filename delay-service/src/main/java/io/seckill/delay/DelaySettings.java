package io.seckill.delay;

import io.seckill.platform.config.Setting;

/**
 * Tuning knobs only the delay service reads. They belong in platform's Settings (so the README table lists them);
 * until they move there they are read the same way, by env var.
 */
final class DelaySettings {
  private DelaySettings() {
  }

  static final Setting BATCH_SIZE = new Setting("SECKILL_DELAY_BATCH_SIZE", "2000",
      "Most deadlines acted on in one batched UPDATE");
  static final Setting MAX_IN_FLIGHT = new Setting("SECKILL_DELAY_MAX_IN_FLIGHT", "8",
      "Batches of deadlines being acted on at once");
  static final Setting STOCK_RETURNS_IN_FLIGHT = new Setting("SECKILL_DELAY_STOCK_RETURNS_IN_FLIGHT", "256",
      "Redis stock returns pipelined at once per batch");
  static final Setting COMMIT_INTERVAL_MS = new Setting("SECKILL_DELAY_COMMIT_INTERVAL_MS", "200",
      "Commit finished offsets of the delay topic at least this often");
}
