package io.seckill.gateway.domain;

/**
 * The one rule for every text that reaches storage (user id, sale item, payment reference,
 * Idempotency-Key): no control characters (C0, DEL, C1; NUL above all, which PostgreSQL refuses in
 * text) and no lone UTF-16 surrogates (what an invalid "\ud800" JSON escape decodes to; it has no
 * UTF-8 form). Checked where requests are parsed, so such text is refused before it takes stock,
 * instead of failing later at the database after the buyer heard 202.
 */
public final class Text {
  private Text() {}

  /** Why s cannot be stored, or null if it can. */
  public static String whyNotStorable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c))
        return "contains a control character (U+" + String.format("%04X", (int) c) + ")";
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "contains a lone surrogate (not valid UTF-8)";
      }
      if (Character.isLowSurrogate(c)) return "contains a lone surrogate (not valid UTF-8)";
    }
    return null;
  }

  /** s if it can be stored; otherwise invalid-request naming the field. */
  public static String storable(String field, String s) {
    String why = whyNotStorable(s);
    if (why != null) throw Refusal.INVALID_REQUEST.with("'" + field + "' " + why);
    return s;
  }
}
