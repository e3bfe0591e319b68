package org.abtest.http.routes;

/** Checks on request text that JSON parsing itself does not make. */
final class TextChecks {

  private TextChecks() {}

  /**
   * Whether every surrogate in {@code s} is one half of a pair: a lone surrogate has no UTF-8 form,
   * so Cassandra, Kafka and the journal would fail on it long after the request was accepted.
   */
  static boolean wellFormed(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
