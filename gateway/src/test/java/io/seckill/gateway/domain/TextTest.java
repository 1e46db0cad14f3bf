package io.seckill.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\u0000b",
        "\u0000",
        "tab\there",
        "line\nbreak",
        "cr\r",
        "esc\u001b[31m",
        "del\u007f",
        "c1\u0085",
        "lone \ud800 high",
        "lone \udc00 low",
        "ends high \ud83d"
      })
  void controlCharactersAndLoneSurrogatesAreNotStorable(String s) {
    assertThat(Text.whyNotStorable(s)).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "alice",
        "ключ",
        "k\u00e9y",
        "emoji \ud83d\ude00 pair",
        "spaces are fine",
        "\u2028 is not a control"
      })
  void printableUnicodeIsStorable(String s) {
    assertThat(Text.whyNotStorable(s)).isNull();
  }
}
