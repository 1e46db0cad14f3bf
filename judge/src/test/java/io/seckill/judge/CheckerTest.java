package io.seckill.judge;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Attempt.Kind;
import io.seckill.judge.Checker.OrderRow;
import io.seckill.judge.Checker.Report;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CheckerTest {
  private static final long STOCK = 100;

  private static Report check(Collection<Attempt> attempts, Collection<OrderRow> rows) {
    return Checker.check(attempts, rows, STOCK);
  }

  private static Attempt accepted(String user, String key, String orderId) {
    return new Attempt(Kind.PURCHASE, user, key, 202, null, orderId, 0);
  }

  private static Attempt refused(String user, String slug, int status) {
    return new Attempt(Kind.PURCHASE, user, "k-" + user, status, slug, null, 0);
  }

  private static Attempt unanswered(String user, String key) {
    return new Attempt(Kind.PURCHASE, user, key, Attempt.NO_ANSWER, null, null, 0);
  }

  private static OrderRow row(String id, String user, String status) {
    return new OrderRow(id, user, status);
  }

  @Test
  void aCleanRunHasOnlyOkAndRefused() {
    Report r =
        check(
            List.of(
                accepted("u1", "k1", "o1"),
                accepted("u2", "k2", "o2"),
                refused("u3", "sold-out", 409)),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o2", "u2", "PAID")));
    assertThat(r.passed()).isTrue();
    assertThat(r.ok()).isEqualTo(2);
    assertThat(r.refused()).isEqualTo(1);
    assertThat(r.lost() + r.duplicated() + r.unexpected() + r.recovered() + r.contradicted())
        .isZero();
  }

  @Test
  void a202WithoutARowIsLost() {
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1"), accepted("u2", "k2", "o2")),
            List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
    assertThat(r.examples().get("lost")).singleElement().asString().contains("o2");
  }

  @Test
  void aRejectedRowStillAccountsForIts202() {
    // docs/SPEC.md §5.4: an admitted order exists in PostgreSQL "or is REJECTED with a reason".
    Report r = check(List.of(accepted("u1", "k1", "o1")), List.of(row("o1", "u1", "REJECTED")));
    assertThat(r.passed()).isTrue();
  }

  @Test
  void replaysOfOneKeyWithTheSameOrderAreOneAdmission() {
    Report r =
        check(
            List.of(
                accepted("u1", "k1", "o1"), accepted("u1", "k1", "o1"), accepted("u1", "k1", "o1")),
            List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.passed()).isTrue();
    assertThat(r.accepted()).isEqualTo(3);
    assertThat(r.admissions()).isEqualTo(1);
  }

  @Test
  void oneKeyAnsweredWithTwoOrdersIsDuplicated() {
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1"), accepted("u1", "k1", "o2")),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o2", "u1", "PENDING_PAYMENT")));
    assertThat(r.duplicated()).isEqualTo(1);
    assertThat(r.lost()).isZero();
    assertThat(r.passed()).isFalse();
  }

  @Test
  void theSameKeyFromTwoUsersIsTwoAdmissions() {
    Report r =
        check(
            List.of(accepted("u1", "k", "o1"), accepted("u2", "k", "o2")),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o2", "u2", "PENDING_PAYMENT")));
    assertThat(r.passed()).isTrue();
  }

  @Test
  void oneOrderIdWithTwoRowsIsDuplicated() {
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1")),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.duplicated()).isEqualTo(1);
    assertThat(r.ok()).isEqualTo(1);
  }

  @Test
  void aRowNobodyWasToldAboutIsUnexpected() {
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1"), refused("u2", "sold-out", 409)),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o9", "u2", "PENDING_PAYMENT")));
    assertThat(r.unexpected()).isEqualTo(1);
    assertThat(r.recovered()).isZero();
    assertThat(r.passed()).isFalse();
  }

  @Test
  void a503IsAPromiseThatNothingWasTaken() {
    Report r =
        check(
            List.of(refused("u1", "overloaded", 503)), List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.unexpected()).isEqualTo(1);
  }

  @Test
  void aRowForAnUnansweredRequestIsRecovered() {
    Report r =
        check(
            List.of(
                unanswered("u1", "k1"),
                new Attempt(Kind.PURCHASE, "u2", null, 500, "internal-error", null, 0)),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o2", "u2", "PAID")));
    assertThat(r.recovered()).isEqualTo(2);
    assertThat(r.indeterminate()).isEqualTo(2);
    assertThat(r.passed()).isTrue();
  }

  @Test
  void anUnansweredRequestWithoutARowIsNoError() {
    Report r = check(List.of(unanswered("u1", "k1")), List.of());
    assertThat(r.passed()).isTrue();
    assertThat(r.indeterminate()).isEqualTo(1);
  }

  @Test
  void unansweredRetriesOfOneKeyExplainOneRowOnly() {
    Report r =
        check(
            List.of(unanswered("u1", "k1"), unanswered("u1", "k1")),
            List.of(row("o1", "u1", "PENDING_PAYMENT"), row("o2", "u1", "PENDING_PAYMENT")));
    assertThat(r.recovered()).isEqualTo(1);
    assertThat(r.unexpected()).isEqualTo(1);
  }

  @Test
  void anUnansweredRequestExplainsOnlyItsOwnUsersRows() {
    Report r = check(List.of(unanswered("u1", "k1")), List.of(row("o1", "u2", "PENDING_PAYMENT")));
    assertThat(r.unexpected()).isEqualTo(1);
    assertThat(r.recovered()).isZero();
  }

  @Test
  void anAcknowledgedPaymentMustEndPaid() {
    Attempt paid = new Attempt(Kind.PAYMENT, "u1", null, 200, null, "o1", 0);
    Attempt cancelled = new Attempt(Kind.CANCEL, "u2", null, 200, null, "o2", 0);
    Attempt refusedPayment =
        new Attempt(Kind.PAYMENT, "u3", null, 409, "order-not-payable", "o3", 0);
    Report r =
        check(
            List.of(
                accepted("u1", "k1", "o1"),
                paid,
                accepted("u2", "k2", "o2"),
                cancelled,
                accepted("u3", "k3", "o3"),
                refusedPayment),
            List.of(
                row("o1", "u1", "CANCELLED"),
                row("o2", "u2", "CANCELLED"),
                row("o3", "u3", "CANCELLED")));
    assertThat(r.contradicted()).isEqualTo(1);
    assertThat(r.examples().get("contradicted"))
        .singleElement()
        .asString()
        .contains("payment of order o1");
  }

  @Test
  void aRowUnderAnotherUserIsContradicted() {
    Report r =
        check(List.of(accepted("u1", "k1", "o1")), List.of(row("o1", "u2", "PENDING_PAYMENT")));
    assertThat(r.contradicted()).isEqualTo(1);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void aRetryOfAnAdmittedKeyMustNotBeToldSoldOut() {
    Attempt retry = new Attempt(Kind.PURCHASE, "u1", "k1", 409, "sold-out", null, 0);
    Attempt rateLimited = new Attempt(Kind.PURCHASE, "u1", "k1", 429, "rate-limited", null, 0);
    Attempt otherKey = new Attempt(Kind.PURCHASE, "u1", "k2", 409, "limit-reached", null, 0);
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1"), retry, rateLimited, otherKey),
            List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.contradicted()).isEqualTo(1);
    assertThat(r.examples().get("contradicted"))
        .singleElement()
        .asString()
        .contains("k1")
        .contains("sold-out");
  }

  @Test
  void aSoldOutBeforeTheKeyWasAdmittedIsNoContradiction() {
    // Sold out at first; stock came back (a cancellation) and the same key was admitted on retry.
    Attempt soldOut =
        new Attempt(Kind.PURCHASE, "u1", "k1", 409, "sold-out", null, 0, 1_000, 5_000);
    Attempt admitted = new Attempt(Kind.PURCHASE, "u1", "k1", 202, null, "o1", 0, 2_000, 5_000);
    Attempt replayTooSoon =
        new Attempt(Kind.PURCHASE, "u1", "k1", 409, "sold-out", null, 0, 2_003, 1_000);
    Report r =
        check(
            List.of(soldOut, admitted, replayTooSoon), List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.contradicted()).isZero();
    assertThat(r.passed()).isTrue();

    Attempt replayAfter =
        new Attempt(Kind.PURCHASE, "u1", "k1", 409, "sold-out", null, 0, 2_005, 1_000);
    Report after =
        check(List.of(soldOut, admitted, replayAfter), List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(after.contradicted()).as("asked after the 202 was answered at 2005").isEqualTo(1);
  }

  @Test
  void examplesAreCapped() {
    List<Attempt> attempts =
        IntStream.range(0, 50).mapToObj(i -> accepted("u" + i, "k" + i, "o" + i)).toList();
    Report r = check(attempts, List.of());
    assertThat(r.lost()).isEqualTo(50);
    assertThat(r.examples().get("lost")).hasSize(5);
    assertThat(r.render()).contains("lost 50").contains("FAIL");
  }

  @Test
  void unitsHeldBeyondTheStockAreOversold() {
    List<Attempt> attempts =
        List.of(accepted("u1", "k1", "o1"), accepted("u2", "k2", "o2"), accepted("u3", "k3", "o3"));
    List<OrderRow> rows =
        List.of(
            new OrderRow("o1", "u1", "PAID", 1),
            new OrderRow("o2", "u2", "PENDING_PAYMENT", 2),
            new OrderRow("o3", "u3", "PENDING_PAYMENT", 1));
    Report r = Checker.check(attempts, rows, 3);
    assertThat(r.oversold()).isEqualTo(1);
    assertThat(r.lost() + r.duplicated() + r.unexpected() + r.contradicted()).isZero();
    assertThat(r.passed()).isFalse();
    assertThat(r.examples().get("oversold"))
        .singleElement()
        .asString()
        .contains("4 units")
        .contains("stock 3");
    assertThat(r.render()).contains("oversold 1").contains("FAIL");
  }

  @Test
  void cancelledAndRejectedRowsHoldNoStock() {
    List<Attempt> attempts =
        List.of(accepted("u1", "k1", "o1"), accepted("u2", "k2", "o2"), accepted("u3", "k3", "o3"));
    List<OrderRow> rows =
        List.of(row("o1", "u1", "PAID"), row("o2", "u2", "CANCELLED"), row("o3", "u3", "REJECTED"));
    Report r = Checker.check(attempts, rows, 1);
    assertThat(r.oversold()).isZero();
    assertThat(r.passed()).isTrue();
  }

  @Test
  void aDuplicatedRowHoldsItsStockOnce() {
    Report r =
        Checker.check(
            List.of(accepted("u1", "k1", "o1")),
            List.of(row("o1", "u1", "PAID"), row("o1", "u1", "PAID")),
            1);
    assertThat(r.duplicated()).isEqualTo(1);
    assertThat(r.oversold()).isZero();
  }

  @Test
  void anUnknownStockIsNotJudged() {
    Report r =
        Checker.check(
            List.of(accepted("u1", "k1", "o1")),
            List.of(row("o1", "u1", "PAID")),
            Checker.STOCK_UNKNOWN);
    assertThat(r.oversold()).isZero();
    assertThat(r.passed()).isTrue();
  }

  @Test
  void pollsAndBadInputAreNoPurchases() {
    Attempt poll = new Attempt(Kind.POLL, "u1", null, 200, null, "o1", 0);
    Attempt bad = new Attempt(Kind.BAD_INPUT, "u2", null, 400, "invalid-request", null, 0);
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1"), poll, bad),
            List.of(row("o1", "u1", "PENDING_PAYMENT")));
    assertThat(r.purchases()).isEqualTo(1);
    assertThat(r.requests()).isEqualTo(3);
    assertThat(r.passed()).isTrue();
  }

  @Test
  void theSummaryNamesEveryCountThatMustBeZero() {
    Report r =
        check(
            List.of(accepted("u1", "k1", "o1"), unanswered("u2", "k2")),
            List.of(row("o2", "u2", "PENDING_PAYMENT")));
    assertThat(r.summary())
        .isEqualTo("lost 1, duplicated 0, unexpected 0, contradicted 0, oversold 0 (recovered 1)");
  }
}
