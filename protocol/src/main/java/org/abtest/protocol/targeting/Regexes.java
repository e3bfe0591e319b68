package org.abtest.protocol.targeting;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * {@code $regex}/{@code $regexi} on RE2/J, whose matching time is linear in the input: the
 * catastrophic backtracking of {@code java.util.regex} ({@code (a+)+$} on a long attribute) cannot
 * happen. Linear still means "pattern size times input size", so all three are bounded here, and
 * the bounds are part of the evaluation function itself: the server and the SDK must agree on which
 * patterns and values can match (docs/decisions.md, "Regexes in targeting").
 *
 * <p>RE2 lacks what needs backtracking (lookahead, lookbehind, backreferences); such a pattern does
 * not compile, which strict mode reports as an error and lenient mode evaluates as false, as
 * GrowthBook does for a pattern its engine refuses.
 */
final class Regexes {

  /** Longest pattern, in UTF-16 chars. RE2/J compiles a literal in time quadratic in its length. */
  static final int MAX_PATTERN_CHARS = 1024;

  /**
   * Largest pattern once counted repetitions are expanded ({@code x{1000}} counts 1000): the number
   * of states the matcher may track at once, so it is the per-character cost of a match.
   */
  static final int MAX_EXPANDED_SIZE = 1024;

  /**
   * Longest value a regex is applied to; a longer one does not match. With the expanded size this
   * bounds one match at about 8M steps (tens of milliseconds), however hostile the request.
   */
  static final int MAX_SUBJECT_CHARS = 8192;

  /** Why a pattern was refused, in words for a 400. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private Regexes() {}

  /**
   * @param ignoreCase {@code $regexi}
   * @throws Refused when the pattern is too long, expands too far, or RE2 cannot compile it
   */
  static Pattern compile(String pattern, boolean ignoreCase) throws Refused {
    if (pattern.length() > MAX_PATTERN_CHARS) {
      throw new Refused(
          "a regular expression may have at most "
              + MAX_PATTERN_CHARS
              + " characters, this one has "
              + pattern.length());
    }
    long expanded = RepetitionSize.of(pattern);
    if (expanded > MAX_EXPANDED_SIZE) {
      throw new Refused(
          "the regular expression's repetitions expand to more than "
              + MAX_EXPANDED_SIZE
              + " elements; use fewer or smaller {n,m} counts");
    }
    try {
      return Pattern.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    } catch (PatternSyntaxException e) {
      throw new Refused(
          "invalid regular expression (lookaround and backreferences are not supported): "
              + e.getDescription());
    }
  }

  /** JavaScript's {@code RegExp.test}: a search anywhere; too long a value does not match. */
  static boolean find(Pattern pattern, String subject) {
    return subject.length() <= MAX_SUBJECT_CHARS && pattern.matcher(subject).find();
  }
}
