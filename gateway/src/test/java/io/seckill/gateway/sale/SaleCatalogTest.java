package io.seckill.gateway.sale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The sold-out flag against restocks, without servers (no sale is looked up, so no store is needed). */
class SaleCatalogTest {
  private final SaleCatalog catalog = new SaleCatalog(null, Duration.ofMinutes(1));

  @Test
  void aRefusalWithNoRestockSinceItsAdmissionWasSentSetsTheFlagOnce() {
    long sent = catalog.restocks();
    assertThat(catalog.markSoldOut(7, sent)).isNotNull();
    assertThat(catalog.isSoldOut(7)).isTrue();
    assertThat(catalog.markSoldOut(7, sent)).as("already set").isNull();
  }

  @Test
  void aRefusalOlderThanARestockSetsNoFlag() {
    long sent = catalog.restocks();
    catalog.clearSoldOut(7); // the stock came back while the refused admission was on its way
    assertThat(catalog.markSoldOut(7, sent)).isNull();
    assertThat(catalog.isSoldOut(7)).isFalse();
    assertThat(catalog.markSoldOut(7, catalog.restocks())).isNotNull();
  }

  @Test
  void aRestockClearsTheFlagAndItsKeys() {
    catalog.markSoldOut(7, catalog.restocks()).keep(java.util.Map.of("u\nk", 1L));
    assertThat(catalog.soldOutKeys(7)).containsEntry("u\nk", 1L);
    catalog.clearSoldOut(7);
    assertThat(catalog.isSoldOut(7)).isFalse();
    assertThat(catalog.soldOutKeys(7)).isNull();
  }
}
