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
    int begin = version.startsWith("v") ? 1 : 0;
    int plus = version.indexOf('+');
    int end = plus < 0 ? version.length() : plus;
    StringBuilder out = new StringBuilder(end - begin + 16);
    int parts = 0;
    int partStart = begin;
    for (int i = begin; i <= end; i++) {
      if (i == end || version.charAt(i) == '.' || version.charAt(i) == '-') {
        if (parts > 0) {
          out.append('-');
        }
        appendPart(out, version, partStart, i);
        parts++;
        partStart = i + 1;
      }
    }
    if (parts == 3) {
      out.append("-~");
    }
    return out.toString();
  }

  private static void appendPart(StringBuilder out, String version, int begin, int end) {
    boolean numeric = end > begin;
    for (int i = begin; i < end && numeric; i++) {
      char c = version.charAt(i);
      numeric = c >= '0' && c <= '9';
    }
    for (int pad = WIDTH - (end - begin); numeric && pad > 0; pad--) {
      out.append(' ');
    }
    out.append(version, begin, end);
  }
}
