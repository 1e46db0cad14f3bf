package io.seckill.gateway.domain;

import io.seckill.inventory.Admission;
import io.seckill.inventory.Inventory;
import io.seckill.inventory.Inventory.Candidate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Request merging for one event loop: the purchases of a sale that arrive while an admission call
 * is outstanding are gathered and admitted together by one script call (Inventory.admitGroup),
 * which applies today's rules to each in arrival order. A group goes when the outstanding call
 * returns, when it is `maxGroup` strong, or when the window has passed, whichever comes first; with
 * nothing outstanding a purchase goes at once, so an idle gateway adds no latency. Each purchase
 * still gets its own outcome; a group whose reply fails or times out fails each of its purchases
 * with that cause, and each then ends by the single-purchase rule (release, then 503; 504 if that
 * fails too). A sale's entry lives only while it has purchases gathering or a group outstanding, so
 * the map holds the sales being bought right now, not every sale the loop ever saw (a sold-out or
 * idle sale leaves nothing behind). One per event loop, created on it; only that loop touches it.
 */
public final class GroupAdmission {
  private final Inventory inventory;
  private final ContextInternal context;
  private final long windowNanos;
  private final int maxGroup;

  /**
   * Told the size of every group sent (a metric); called on the event loop, once per script call.
   */
  private final IntConsumer groupSizes;

  private final Map<Long, Gathering> bySale = new HashMap<>();
  private int outstanding;

  public GroupAdmission(
      Vertx vertx, Inventory inventory, Duration window, int maxGroup, IntConsumer groupSizes) {
    this.inventory = inventory;
    this.groupSizes = groupSizes;
    this.context = (ContextInternal) vertx.getOrCreateContext();
    this.windowNanos = window.toNanos();
    this.maxGroup = maxGroup;
  }

  public Future<Admission> admit(long saleId, Candidate candidate) {
    Gathering g = bySale.get(saleId);
    if (g == null) {
      g = new Gathering(saleId);
      bySale.put(saleId, g);
    }
    Promise<Admission> promise = Promise.promise();
    g.candidates.add(candidate);
    g.promises.add(promise);
    if (outstanding == 0 || g.candidates.size() >= maxGroup || windowNanos <= 0) {
      send(g);
    } else if (g.candidates.size() == 1) {
      // Netty's timer, not Vert.x's: the window is a fraction of a millisecond.
      long round = g.round;
      Gathering gathering = g;
      context
          .nettyEventLoop()
          .schedule(
              () ->
                  context.emit(
                      v -> {
                        if (gathering.round == round) send(gathering);
                      }),
              windowNanos,
              TimeUnit.NANOSECONDS);
    }
    return promise.future();
  }

  private void send(Gathering g) {
    if (g.candidates.isEmpty()) return;
    List<Candidate> group = g.candidates;
    List<Promise<Admission>> promises = g.promises;
    g.candidates = new ArrayList<>();
    g.promises = new ArrayList<>();
    g.round++;
    g.outstanding++;
    outstanding++;
    groupSizes.accept(group.size());
    inventory
        .admitGroup(g.saleId, group)
        .onComplete(
            reply -> {
              outstanding--;
              g.outstanding--;
              // What gathered meanwhile goes now, so Redis works on the next group while this one's
              // orders go to Kafka. Sent
              // in a copy: a sale whose entry is left with nothing to do is dropped from the map by
              // this loop.
              if (bySale.size() == 1) {
                sendOrDrop(g);
              } else {
                for (Gathering next : new ArrayList<>(bySale.values())) sendOrDrop(next);
              }
              if (reply.succeeded()) {
                List<Admission> outcomes = reply.result();
                for (int i = 0; i < promises.size(); i++) promises.get(i).complete(outcomes.get(i));
              } else {
                for (Promise<Admission> p : promises) p.fail(reply.cause());
              }
            });
  }

  private void sendOrDrop(Gathering g) {
    if (!g.candidates.isEmpty()) {
      send(g);
    } else if (g.outstanding == 0) {
      bySale.remove(g.saleId);
    }
  }

  /**
   * Sales with purchases gathering or a group outstanding on this loop (for tests: the map stays
   * bounded).
   */
  int salesInFlight() {
    return bySale.size();
  }

  private static final class Gathering {
    final long saleId;
    List<Candidate> candidates = new ArrayList<>();
    List<Promise<Admission>> promises = new ArrayList<>();

    /** Incremented at each send, so a window timer of an earlier group does nothing. */
    long round;

    /** Groups of this sale sent and not yet answered. */
    int outstanding;

    Gathering(long saleId) {
      this.saleId = saleId;
    }
  }
}
