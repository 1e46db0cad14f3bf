package io.seckill.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The table of RELIABILITY.md, one row per scenario as it finishes, in
 * target/reliability/results.md.
 */
final class Results {
  private static boolean started;

  record Row(
      String fault,
      String load,
      long requests,
      long lost,
      long duplicated,
      long oversold,
      boolean consistent,
      String recovery,
      String answers,
      String notes) {
    /** A row without a fault window to count answers in (bad input, recovery by reconcile). */
    Row(
        String fault,
        String load,
        long requests,
        long lost,
        long duplicated,
        long oversold,
        boolean consistent,
        String recovery,
        String notes) {
      this(fault, load, requests, lost, duplicated, oversold, consistent, recovery, "-", notes);
    }
  }

  static synchronized void add(Pipeline p, Row r) {
    Path file = p.out.resolve("results.md");
    try {
      if (!started) {
        started = true;
        Files.writeString(
            file,
            "Run of "
                + Instant.now()
                + "\n\n"
                + "| fault | load during it | requests | lost | duplicated | oversold | audit | recovery time | answers by status"
                + " (5xx and none: when, from the injection) | notes |\n"
                + "|---|---|---:|---:|---:|---:|---|---:|---|---|\n");
      }
      Files.writeString(
          file,
          "| "
              + r.fault()
              + " | "
              + r.load()
              + " | "
              + r.requests()
              + " | "
              + r.lost()
              + " | "
              + r.duplicated()
              + " | "
              + r.oversold()
              + " | "
              + (r.consistent() ? "consistent" : "**INCONSISTENT**")
              + " | "
              + r.recovery()
              + " | "
              + r.answers()
              + " | "
              + r.notes()
              + " |\n",
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static synchronized void note(Pipeline p, String name, String text) {
    try {
      Files.writeString(
          p.out.resolve(name), text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
