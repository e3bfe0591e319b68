package org.abtest.http.limits;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token buckets per key (a credential id, a client address), each with the rate its caller names
 * and room for {@code burstSeconds} of that rate.
 *
 * <p>A bucket is one number, the time at which it will be full again (the "generic cell rate" form
 * of a token bucket): a request moves it one interval later, and is refused when that would put it
 * more than the burst ahead of now. One compare-and-set per request, no lock, no allocation once
 * the key is known. A bucket whose time has passed is full, as good as a new one, so dropping it
 * loses nothing: that is how idle keys are evicted.
 *
 * <p>Memory is bounded by {@code maxKeys}. When the map is full a sweep drops the full buckets (at
 * most once per {@code sweepEveryNanos}, so a flood of new keys does not sweep on every request);
 * keys that still find no room share one overflow bucket, so a flood of fresh keys is limited as
 * one client instead of growing the map.
 */
public final class RateLimiter {

  private static final long SECOND = 1_000_000_000L;

  private final LongSupplier nanoClock;
  private final double burstSeconds;
  private final int maxKeys;
  private final long sweepEveryNanos;
  private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
  private final AtomicLong overflow;
  private final AtomicLong nextSweep;

  public RateLimiter(LongSupplier nanoClock, double burstSeconds, int maxKeys) {
    if (burstSeconds <= 0 || maxKeys < 1) {
      throw new IllegalArgumentException("burstSeconds and maxKeys must be positive");
    }
    this.nanoClock = nanoClock;
    this.burstSeconds = burstSeconds;
    this.maxKeys = maxKeys;
    this.sweepEveryNanos = SECOND;
    long now = nanoClock.getAsLong();
    this.overflow = new AtomicLong(now);
    this.nextSweep = new AtomicLong(now);
  }

  /**
   * Takes one token from the key's bucket. Returns 0 when the request may go ahead, otherwise how
   * many nanoseconds until it could (nothing is taken then).
   */
  public long acquire(String key, int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("perSecond must be positive");
    }
    long now = nanoClock.getAsLong();
    AtomicLong bucket = buckets.get(key);
    if (bucket == null) {
      bucket = admit(key, now);
    }
    long interval = SECOND / perSecond;
    // a bucket holds at least one token, whatever the rate and burst
    long tolerance = Math.max(1, (long) (perSecond * burstSeconds)) * interval;
    while (true) {
      long full = bucket.get();
      long next = Math.max(full, now) + interval;
      long wait = next - now - tolerance;
      if (wait > 0) {
        return wait;
      }
      if (bucket.compareAndSet(full, next)) {
        return 0;
      }
    }
  }

  /** Keys with a bucket of their own (the overflow bucket aside). */
  public int size() {
    return buckets.size();
  }

  private AtomicLong admit(String key, long now) {
    if (buckets.size() >= maxKeys) {
      sweep(now);
      if (buckets.size() >= maxKeys) {
        return overflow;
      }
    }
    // a new bucket is full: its refill time is now
    return buckets.computeIfAbsent(key, k -> new AtomicLong(now));
  }

  private void sweep(long now) {
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + sweepEveryNanos)) {
      return;
    }
    buckets.values().removeIf(bucket -> bucket.get() - now <= 0);
  }
}
