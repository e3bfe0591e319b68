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

  /**
   * {@code signum(padded(value).compareTo(target))} for a target already padded. A non-empty string
   * value (the usual case) is compared as its padded form is produced, without building it.
   */
  static int compare(JsonNode value, String target) {
    if (value.isTextual() && !value.textValue().isEmpty()) {
      return new Streamed(target).compare(value.textValue());
    }
    return Integer.signum(padded(value).compareTo(target));
  }

  /** Produces {@link #padded(String)}'s characters one by one against a target. */
  private static final class Streamed {
    private final String target;
    private int at;

    Streamed(String target) {
      this.target = target;
    }

    int compare(String version) {
      int begin = version.startsWith("v") ? 1 : 0;
      int plus = version.indexOf('+');
      int end = plus < 0 ? version.length() : plus;
      int parts = 0;
      int partStart = begin;
      for (int i = begin; i <= end; i++) {
        if (i == end || version.charAt(i) == '.' || version.charAt(i) == '-') {
          int r = parts > 0 ? next('-') : 0;
          if (r == 0) {
            r = part(version, partStart, i);
          }
          if (r != 0) {
            return r;
          }
          parts++;
          partStart = i + 1;
        }
      }
      if (parts == 3) {
        int r = next('-');
        if (r == 0) {
          r = next('~');
        }
        if (r != 0) {
          return r;
        }
      }
      return at < target.length() ? -1 : 0;
    }

    private int part(String version, int begin, int end) {
      boolean numeric = end > begin;
      for (int i = begin; i < end && numeric; i++) {
        char c = version.charAt(i);
        numeric = c >= '0' && c <= '9';
      }
      for (int pad = WIDTH - (end - begin); numeric && pad > 0; pad--) {
        int r = next(' ');
        if (r != 0) {
          return r;
        }
      }
      for (int i = begin; i < end; i++) {
        int r = next(version.charAt(i));
        if (r != 0) {
          return r;
        }
      }
      return 0;
    }

    /** The next produced character against the target's: a longer string sorts after. */
    private int next(char c) {
      if (at >= target.length()) {
        return 1;
      }
      return Integer.signum(c - target.charAt(at++));
    }
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
