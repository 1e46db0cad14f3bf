package io.seckill.delay;

import io.seckill.platform.contract.DeadlineMessage;
import io.seckill.platform.store.OrderStore.Deadline;
import io.vertx.core.Future;
import java.util.List;

/**
 * Carries out one batch: act on what is due, send the rest down a level, dead-letter the
 * unreadable.
 */
final class BatchRunner {
  private final Canceller canceller;
  private final DelayTopicWriter writer;
  private final DelayStats stats;

  BatchRunner(Canceller canceller, DelayTopicWriter writer, DelayStats stats) {
    this.canceller = canceller;
    this.writer = writer;
    this.stats = stats;
  }

  Future<Void> run(Batch batch) {
    Future<Void> acted =
        batch.due().isEmpty()
            ? Future.succeededFuture()
            : canceller.act(batch.due()).compose(this::reschedule);
    Future<Void> cascaded = writer.schedule(batch.notYetDue());
    Future<Void> deadLettered = writer.deadLetter(batch.deadLetters());
    return Future.all(acted, cascaded, deadLettered)
        .<Void>mapEmpty()
        .onSuccess(
            v -> {
              stats.acted.add(batch.due().size());
              stats.cascaded.add(batch.notYetDue().size());
              stats.deadLettered.add(batch.deadLetters().size());
            });
  }

  /**
   * Orders the database does not consider due yet (clock skew, a rounded dueAt) come back when it
   * will.
   */
  private Future<Void> reschedule(List<Deadline> stillPending) {
    if (stillPending.isEmpty()) return Future.succeededFuture();
    long now = System.currentTimeMillis();
    List<DeadlineMessage> again =
        stillPending.stream()
            .map(
                d ->
                    new DeadlineMessage(
                        d.orderId(), d.saleId(), Hops.retryDueAt(d.expiresAt(), now)))
            .toList();
    return writer.schedule(again).onSuccess(v -> stats.rescheduled.add(again.size()));
  }
}
