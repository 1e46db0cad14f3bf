package io.seckill.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.judge.Attempt;
import io.seckill.judge.Ledger;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VerdictTest {
  private static final String NO_ROUTE =
      "{\"type\":\"https://seckill.dev/problems/not-found\",\"status\":404}";
  private static final String NO_SALE =
      "{\"type\":\"https://seckill.dev/problems/sale-not-found\",\"status\":404}";

  private final Ledger ledger = new Ledger();
  private final Verdict verdict = new Verdict(() -> "42", ledger);

  @AfterEach
  void clearProperty() {
    System.clearProperty("checks.allowMissingEndpoints");
  }

  private static String audit(boolean drained, boolean consistent) {
    return "{\"saleId\":\"42\",\"queuedUnits\":"
        + (drained ? 0 : 3)
        + ",\"drained\":"
        + drained
        + ",\"consistent\":"
        + consistent
        + ",\"invariants\":[{\"name\":\"not-oversold\",\"holds\":"
        + consistent
        + ",\"detail\":\"pending + paid = 11 <= initial 10\"}]}";
  }

  @Test
  void drainingWaitsForTheAuditToSaySo() {
    verdict.start();
    assertThat(verdict.observeDrain(audit(false, true))).isFalse();
    assertThat(verdict.observeDrain("not json")).isFalse();
    assertThat(verdict.observeDrain(audit(true, true))).isTrue();
    assertThat(verdict.judgeAudit(audit(true, true))).isEqualTo(Verdict.OK);
  }

  @Test
  void anInconsistentAuditFailsNamingTheBrokenInvariant() {
    verdict.start();
    verdict.observeDrain(audit(true, false));
    assertThat(verdict.judgeAudit(audit(true, false)))
        .startsWith("FAIL")
        .contains("not-oversold")
        .contains("11 <= initial 10");
    assertThat(verdict.finish().passed()).isFalse();
  }

  @Test
  void anUndrainedPipelineFails() {
    verdict.start();
    assertThat(verdict.judgeAudit(audit(false, true))).contains("did not drain");
  }

  @Test
  void aMissingEndpointFailsUnlessTolerated() {
    verdict.start();
    assertThat(verdict.observeDrain(NO_ROUTE)).isTrue();
    assertThat(verdict.judgeAudit(NO_ROUTE)).startsWith("FAIL");
    assertThat(verdict.judgeOrders(NO_ROUTE)).startsWith("FAIL");

    System.setProperty("checks.allowMissingEndpoints", "true");
    Verdict tolerant = new Verdict(() -> "42", ledger);
    tolerant.start();
    assertThat(tolerant.judgeAudit(NO_ROUTE)).isEqualTo(Verdict.OK);
    Verdict.Result r = tolerant.finish();
    assertThat(r.passed()).isTrue();
    assertThat(r.skipped()).hasSize(1);
  }

  @Test
  void anUnknownSaleIsNotAMissingEndpoint() {
    verdict.start();
    assertThat(verdict.judgeOrders(NO_SALE)).startsWith("FAIL");
  }

  @Test
  void theOrderListIsJudgedByTheChecker() {
    ledger.record(new Attempt(Attempt.Kind.PURCHASE, "u1", "k1", 202, null, "7", 0));
    ledger.record(new Attempt(Attempt.Kind.PURCHASE, "u2", "k2", 202, null, "8", 0));
    verdict.start();
    String orders =
        "{\"saleId\":\"42\",\"orders\":[{\"orderId\":\"7\",\"userId\":\"u1\",\"status\":\"PAID\"}]}";
    assertThat(verdict.judgeOrders(orders)).contains("lost 1");
    Verdict.Result r = verdict.finish();
    assertThat(r.report().lost()).isEqualTo(1);
    assertThat(Verdict.last()).isSameAs(r);
  }

  @Test
  void theCheckerCountsOversoldUnitsAgainstTheStockTheAuditNames() {
    ledger.record(new Attempt(Attempt.Kind.PURCHASE, "u1", "k1", 202, null, "7", 0));
    ledger.record(new Attempt(Attempt.Kind.PURCHASE, "u2", "k2", 202, null, "8", 0));
    verdict.start();
    String audit =
        "{\"saleId\":\"42\",\"initialStock\":1,\"drained\":true,\"consistent\":true,\"invariants\":[]}";
    assertThat(verdict.judgeAudit(audit)).isEqualTo(Verdict.OK);
    String orders =
        "{\"saleId\":\"42\",\"orders\":[{\"orderId\":\"7\",\"userId\":\"u1\",\"status\":\"PAID\"},"
            + "{\"orderId\":\"8\",\"userId\":\"u2\",\"status\":\"PENDING_PAYMENT\"}]}";
    assertThat(verdict.judgeOrders(orders)).startsWith("FAIL").contains("oversold 1");
    assertThat(verdict.finish().report().oversold()).isEqualTo(1);
  }

  @Test
  void expectationsFailWithTheirText() {
    assertThat(verdict.judgeExpectations(List.of())).isEqualTo(Verdict.OK);
    assertThat(verdict.judgeExpectations(List.of("greedy-1 was admitted 2 times")))
        .contains("greedy-1");
  }
}
