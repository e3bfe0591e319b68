package org.abtest.protocol.targeting;

/**
 * An upper estimate of a pattern's size once counted repetitions are expanded: {@code (ab){3}}
 * counts 6, {@code ((a{10}){10}){10}} counts 1000. RE2 compiles a repetition by copying what it
 * repeats, and its matcher may track every copy at once, so this is what a match costs per input
 * character. Only the structure matters here (groups, classes, escapes, quantifiers); whether the
 * pattern is valid is for RE2 to say. Saturates instead of overflowing, and never throws.
 */
final class RepetitionSize {

  private static final long CAP = Long.MAX_VALUE / 4;

  private final String p;
  private int i;

  private RepetitionSize(String pattern) {
    this.p = pattern;
  }

  static long of(String pattern) {
    RepetitionSize parser = new RepetitionSize(pattern);
    long size = 0;
    while (parser.i < pattern.length()) {
      // A stray ')' ends an alternation early; carry on after it so nothing is skipped.
      size = add(size, parser.alternation());
      parser.i++;
    }
    return size;
  }

  /** Alternatives add up: each is compiled. Stops before a ')' or at the end. */
  private long alternation() {
    long size = sequence();
    while (i < p.length() && p.charAt(i) == '|') {
      i++;
      size = add(size, sequence());
    }
    return size;
  }

  private long sequence() {
    long size = 0;
    while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
      long atom = atom();
      size = add(size, quantified(atom));
    }
    return size;
  }

  private long atom() {
    char c = p.charAt(i++);
    switch (c) {
      case '(':
        if (i < p.length() && p.charAt(i) == '?') {
          skipGroupFlags();
        }
        long inner = alternation();
        if (i < p.length()) {
          i++; // ')'
        }
        return Math.max(inner, 1);
      case '[':
        skipClass();
        return 1;
      case '\\':
        skipEscape();
        return 1;
      default:
        return 1;
    }
  }

  /** After {@code (?}: flags such as {@code i}, {@code i:}, or a name {@code P<name>}. */
  private void skipGroupFlags() {
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == ':' || c == '>') {
        i++;
        return;
      }
      if (c == ')') {
        return;
      }
      i++;
    }
  }

  private void skipClass() {
    if (i < p.length() && p.charAt(i) == '^') {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ']') {
      i++;
    }
    while (i < p.length() && p.charAt(i) != ']') {
      if (p.charAt(i) == '\\') {
        i++;
      }
      i++;
    }
    i++;
  }

  private void skipEscape() {
    if (i >= p.length()) {
      return;
    }
    char c = p.charAt(i++);
    if ((c == 'p' || c == 'P' || c == 'x') && i < p.length() && p.charAt(i) == '{') {
      int close = p.indexOf('}', i);
      i = close < 0 ? p.length() : close + 1;
    }
  }

  /** {@code * + ?} keep one copy; {@code {n}}, {@code {n,}}, {@code {n,m}} make up to m (n+1). */
  private long quantified(long atom) {
    long size = atom;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '*' || c == '+' || c == '?') {
        i++;
      } else if (c == '{') {
        long copies = counted();
        if (copies < 0) {
          return size;
        }
        size = multiply(size, copies);
      } else {
        return size;
      }
    }
    return size;
  }

  /** The copies a {@code {n,m}} makes, or -1 (nothing consumed) when the brace is a literal. */
  private long counted() {
    int j = i + 1;
    long min = 0;
    int digits = 0;
    while (j < p.length() && Character.isDigit(p.charAt(j)) && digits < 9) {
      min = min * 10 + (p.charAt(j++) - '0');
      digits++;
    }
    if (digits == 0 || j >= p.length()) {
      return -1;
    }
    long max = min;
    if (p.charAt(j) == ',') {
      j++;
      max = min + 1;
      long bound = 0;
      int maxDigits = 0;
      while (j < p.length() && Character.isDigit(p.charAt(j)) && maxDigits < 9) {
        bound = bound * 10 + (p.charAt(j++) - '0');
        maxDigits++;
      }
      if (maxDigits > 0) {
        max = bound;
      }
    }
    if (j >= p.length() || p.charAt(j) != '}') {
      return -1;
    }
    i = j + 1;
    return Math.max(max, 1);
  }

  private static long add(long a, long b) {
    return Math.min(CAP, a + b);
  }

  private static long multiply(long a, long b) {
    return a > CAP / b ? CAP : a * b;
  }
}
