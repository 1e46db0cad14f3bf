package io.seckill.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.seckill.gateway.domain.Refusal;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ProblemTest {

  @ParameterizedTest
  @EnumSource(Refusal.class)
  void everyDomainRefusalIsAnsweredWithTheProblemOfItsNameAndA4xxOr5xx(Refusal refusal) {
    Problem problem = Problem.of(refusal);

    assertThat(problem.name()).isEqualTo(refusal.name());
    assertThat(problem.status()).isBetween(400, 599);
    assertThat(Problems.of(refusal.with("why", 3))).isSameAs(problem);
  }

  @Test
  void theStatusesOfTheApiAreKept() {
    assertThat(Problem.of(Refusal.SOLD_OUT).status()).isEqualTo(409);
    assertThat(Problem.of(Refusal.RATE_LIMITED).status()).isEqualTo(429);
    assertThat(Problem.of(Refusal.OVERLOADED).status()).isEqualTo(503);
    assertThat(Problem.of(Refusal.OUTCOME_UNKNOWN).status()).isEqualTo(504);
    assertThat(Problem.of(Refusal.ORDER_NOT_FOUND).status()).isEqualTo(404);
    assertThat(Problem.of(Refusal.INVALID_REQUEST).status()).isEqualTo(400);
  }

  @Test
  void aProblemDocumentCarriesTypeTitleStatusDetailAndInstance() {
    JsonObject body =
        new JsonObject(
            Problems.body(Problem.SOLD_OUT, "sale 7 is sold out", "/api/sales/7/purchases"));

    assertThat(body.getString("type")).isEqualTo("https://seckill.dev/problems/sold-out");
    assertThat(body.getInteger("status")).isEqualTo(409);
    assertThat(body.getString("detail")).isEqualTo("sale 7 is sold out");
    assertThat(body.getString("instance")).isEqualTo("/api/sales/7/purchases");
    assertThat(Problems.of(new IllegalStateException("bug"))).isNull();
  }
}
