package io.seckill.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Every request of a run that the checker needs, recorded from all of Gatling's threads. */
public final class Ledger {
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();

  public void record(Attempt a) {
    attempts.add(a);
  }

  public List<Attempt> snapshot() {
    return new ArrayList<>(attempts);
  }

  /** The problem slug at the end of a problem type URI ("https://…/problems/sold-out" → "sold-out"). */
  public static String slug(String type) {
    if (type == null || type.isBlank()) return null;
    return type.substring(type.lastIndexOf('/') + 1);
  }
}
