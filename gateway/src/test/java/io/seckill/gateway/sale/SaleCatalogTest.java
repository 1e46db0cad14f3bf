package io.seckill.gateway.sale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sold-out flag's snapshot of admitted keys, as the purchase route's first handler reads it.
 */
class SaleCatalogTest {
  // Only the flag and its snapshot are used here; no sale is looked up.
  private final SaleCatalog catalog = new SaleCatalog(null, Duration.ofMinutes(1));

  @Test
  void aKeyIsRefusedOnlyOnceTheSaleIsFlaggedAndItsSnapshotHasLoadedWithoutThatKey() {
    long sale = 7;
    assertThat(catalog.refusesKey(sale, "fresh")).as("not flagged").isFalse();
    SaleCatalog.SoldOut flag = catalog.markSoldOut(sale);
    assertThat(flag).isNotNull();
    assertThat(catalog.markSoldOut(sale)).as("already flagged").isNull();
    assertThat(catalog.refusesKey(sale, "fresh")).as("snapshot still loading").isFalse();

    flag.accept(Map.of("alice\nk-1", 501L, "bob\nk-2", 502L, "carol\nk-1", 503L));

    assertThat(catalog.refusesKey(sale, "fresh")).isTrue();
    // A key admitted for anyone goes on to the full path, whoever sends it.
    assertThat(catalog.refusesKey(sale, "k-1")).isFalse();
    assertThat(catalog.refusesKey(sale, "k-2")).isFalse();
    // The user part of a field is not a key.
    assertThat(catalog.refusesKey(sale, "alice")).isTrue();
    assertThat(catalog.refusesKey(sale, "alice\nk-1")).isTrue();
    assertThat(catalog.refusesKey(sale + 1, "fresh")).as("another sale").isFalse();
  }

  @Test
  void returnedStockClearsTheFlagAndWithItTheRefusalOfUnknownKeys() {
    long sale = 8;
    catalog.markSoldOut(sale).accept(Map.of());
    assertThat(catalog.refusesKey(sale, "any")).isTrue();
    catalog.clearSoldOut(sale);
    assertThat(catalog.refusesKey(sale, "any")).isFalse();
    assertThat(catalog.soldOutKeys(sale)).isNull();
  }

  @Test
  void aSaleSoldOutBeforeAnyKeyedOrderRefusesEveryKey() {
    long sale = 9;
    catalog.markSoldOut(sale).accept(Map.of());
    assertThat(catalog.refusesKey(sale, "k-1")).isTrue();
    assertThat(catalog.isSoldOut(sale)).isTrue();
  }
}
