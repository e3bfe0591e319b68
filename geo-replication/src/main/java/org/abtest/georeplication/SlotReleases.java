package org.abtest.georeplication;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.abtest.georeplication.ExperimentScheduler.Release;

/**
 * The layer ranges that ended experiments still hold, as a region sees them, and when each is next
 * acted on: sent to the layer in the home region, or (elsewhere) reported as still waiting for it.
 *
 * <p>Nothing here is the durable record: that is the experiment's terminal event in the journal,
 * and the acknowledgement is the layer's {@code RangeReleased} event. This only spaces the attempts
 * (exponential backoff) and counts them; after a restart it is rebuilt from the same journals. Its
 * size is bounded by the allocations of the known layers (at most one entry per held range), since
 * an entry leaves as soon as its range is no longer held.
 *
 * @param pending per release, since when it waits, how often it was sent and when next
 */
public record SlotReleases(Map<Release, Pending> pending) {

  /** Exponential backoff between attempts: {@code min}, {@code 2 × min}, … up to {@code max}. */
  public record Retry(Duration min, Duration max) {
    public Retry {
      if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
        throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
      }
    }

    /** The pause after the {@code attempt}-th attempt (1-based). */
    Duration after(int attempt) {
      int doublings = Math.min(attempt - 1, 30);
      Duration pause = min.multipliedBy(1L << doublings);
      return pause.compareTo(max) > 0 ? max : pause;
    }
  }

  /**
   * @param since when this region first saw the range stranded
   * @param attempts how often it was acted on (the first time is attempt 1)
   * @param nextAt when it is acted on again if still held
   */
  public record Pending(Instant since, int attempts, Instant nextAt) {}

  /** One release to act on now; {@code attempt > 1} is a retry. */
  public record Attempt(Release release, int attempt, Instant since) {
    public boolean retry() {
      return attempt > 1;
    }
  }

  /**
   * @param due to act on now
   * @param acknowledged ranges no longer held (the layer released them), with their last state
   */
  public record Step(SlotReleases next, List<Attempt> due, Map<Release, Pending> acknowledged) {}

  public static final SlotReleases NONE = new SlotReleases(Map.of());

  public SlotReleases {
    pending = Map.copyOf(pending);
  }

  /**
   * Given the ranges held by ended experiments now, drops those no longer held (acknowledged),
   * starts the new ones at once, and returns every release whose next attempt has come.
   */
  public Step advance(List<Release> stranded, Instant now, Retry retry) {
    Objects.requireNonNull(retry, "retry");
    Map<Release, Pending> next = new HashMap<>();
    List<Attempt> due = new ArrayList<>();
    for (Release release : new HashSet<>(stranded)) {
      Pending before = pending.get(release);
      if (before == null) {
        before = new Pending(now, 0, now);
      }
      if (before.nextAt().isAfter(now)) {
        next.put(release, before);
        continue;
      }
      int attempt = before.attempts() + 1;
      next.put(release, new Pending(before.since(), attempt, now.plus(retry.after(attempt))));
      due.add(new Attempt(release, attempt, before.since()));
    }
    Map<Release, Pending> acknowledged = new HashMap<>(pending);
    acknowledged.keySet().removeAll(next.keySet());
    due.sort(
        Comparator.comparing((Attempt a) -> a.release().layer())
            .thenComparing(a -> a.release().owner()));
    return new Step(new SlotReleases(next), due, Map.copyOf(acknowledged));
  }

  public int size() {
    return pending.size();
  }
}
