package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * GrowthBook's version ordering for {@code $veq $vne $vgt $vgte $vlt $vlte}: a version becomes a
 * "padded" string that plain string comparison orders. A leading {@code v} and any {@code +build}
 * are dropped, the rest is split on {@code .} and {@code -}, every all-digit part is left-padded
 * with spaces to width 5 (so {@code " 9" < "10"}), and a plain {@code x.y.z} gets a trailing {@code
 * ~} (the greatest printable ASCII) so that it sorts after its own pre-releases. Parts are joined
 * with {@code -}. This is deliberately lenient: {@code 1-2-3}, {@code 1.2.3.4} and even {@code
 * a.b.c} are versions, exactly as in GrowthBook.
 */
final class SemVer {

  private static final int WIDTH = 5;

  private SemVer() {}

  /** Numbers use their JavaScript text; anything else that is not a non-empty string is "0". */
  static String padded(JsonNode value) {
    if (value.isNumber()) {
      return padded(JsNumbers.format(value.doubleValue()));
    }
    if (value.isTextual() && !value.textValue().isEmpty()) {
      return padded(value.textValue());
    }
    return padded("0");
  }

  static String padded(String version) {
    StringBuilder out = new StringBuilder(version.length() + 16);
    produce(
        version,
        c -> {
          out.append(c);
          return 0;
        });
    return out.toString();
  }

  /**
   * {@code signum(padded(value).compareTo(target))} for a target already padded. A non-empty string
   * value (the usual case) is compared while its padded form is produced, without building it.
   */
  static int compare(JsonNode value, String target) {
    if (!value.isTextual() || value.textValue().isEmpty()) {
      return Integer.signum(padded(value).compareTo(target));
    }
    int[] at = {0};
    int r =
        produce(
            value.textValue(),
            c -> at[0] >= target.length() ? 1 : Integer.signum(c - target.charAt(at[0]++)));
    // Equal as far as the padded form goes: a target with more left sorts after it.
    return r != 0 ? r : at[0] < target.length() ? -1 : 0;
  }

  /** Takes the padded form's characters in order; a non-zero answer stops the production. */
  private interface Sink {
    int put(char c);
  }

  /** Feeds the padded form of a version to the sink; the sink's first non-zero answer, else 0. */
  private static int produce(String version, Sink sink) {
    int begin = version.startsWith("v") ? 1 : 0;
    int plus = version.indexOf('+');
    int end = plus < 0 ? version.length() : plus;
    int parts = 0;
    int partStart = begin;
    for (int i = begin; i <= end; i++) {
      if (i == end || version.charAt(i) == '.' || version.charAt(i) == '-') {
        int r = parts > 0 ? sink.put('-') : 0;
        if (r == 0) {
          r = part(version, partStart, i, sink);
        }
        if (r != 0) {
          return r;
        }
        parts++;
        partStart = i + 1;
      }
    }
    if (parts == 3) {
      int r = sink.put('-');
      return r != 0 ? r : sink.put('~');
    }
    return 0;
  }

  private static int part(String version, int begin, int end, Sink sink) {
    boolean numeric = end > begin;
    for (int i = begin; i < end && numeric; i++) {
      char c = version.charAt(i);
      numeric = c >= '0' && c <= '9';
    }
    for (int pad = WIDTH - (end - begin); numeric && pad > 0; pad--) {
      int r = sink.put(' ');
      if (r != 0) {
        return r;
      }
    }
    for (int i = begin; i < end; i++) {
      int r = sink.put(version.charAt(i));
      if (r != 0) {
        return r;
      }
    }
    return 0;
  }
}
