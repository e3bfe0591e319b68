package org.abtest.analytics.pressure;

import java.time.Duration;

/**
 * When the events path sheds: once pressure reaches {@code shedAt} and until it falls below {@code
 * resumeBelow}. The gap is what keeps the path from flapping between two requests.
 *
 * @param retryAfter what a shed request is told to wait
 * @param recheckInterval how long a shedding node waits for a collection before asking for one: old
 *     garbage is only counted as gone once a collection has found it so
 */
public record ShedThresholds(
    boolean enabled,
    double shedAt,
    double resumeBelow,
    Duration retryAfter,
    Duration recheckInterval) {

  public ShedThresholds {
    if (!(shedAt > 0 && shedAt <= 1)) {
      throw new IllegalArgumentException("shed-at must be in (0, 1], was " + shedAt);
    }
    if (!(resumeBelow > 0 && resumeBelow <= shedAt)) {
      throw new IllegalArgumentException(
          "resume-below must be in (0, shed-at], was " + resumeBelow + " with shed-at " + shedAt);
    }
    if (retryAfter.isNegative() || recheckInterval.isNegative() || recheckInterval.isZero()) {
      throw new IllegalArgumentException("retry-after and recheck-interval must be positive");
    }
  }

  /** Whether a path that is {@code shedding} now still sheds at {@code pressure}. */
  public boolean sheds(boolean shedding, double pressure) {
    if (!enabled) {
      return false;
    }
    return shedding ? pressure >= resumeBelow : pressure >= shedAt;
  }
}
