package org.abtest.http.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong(123_456_789L);

  private RateLimiter limiter(double burstSeconds, int maxKeys) {
    return new RateLimiter(clock::get, burstSeconds, maxKeys);
  }

  private int granted(RateLimiter limiter, String key, int perSecond, int attempts) {
    int granted = 0;
    for (int i = 0; i < attempts; i++) {
      if (limiter.acquire(key, perSecond) == 0) {
        granted++;
      }
    }
    return granted;
  }

  @Test
  void aFreshBucketGrantsItsBurstAtOnceThenRefuses() {
    RateLimiter limiter = limiter(2, 100);
    assertThat(granted(limiter, "k", 10, 50)).isEqualTo(20);
  }

  @Test
  void aRefusalSaysHowLongUntilTheNextToken() {
    RateLimiter limiter = limiter(1, 100);
    granted(limiter, "k", 10, 10);
    assertThat(limiter.acquire("k", 10)).isEqualTo(100 * MS);
    clock.addAndGet(40 * MS);
    assertThat(limiter.acquire("k", 10)).isEqualTo(60 * MS);
  }

  @Test
  void tokensComeBackAtTheRateAndNeverBeyondTheBurst() {
    RateLimiter limiter = limiter(1, 100);
    granted(limiter, "k", 10, 10);
    clock.addAndGet(300 * MS);
    assertThat(granted(limiter, "k", 10, 10)).isEqualTo(3);
    clock.addAndGet(3_600_000 * MS); // an hour idle refills to the burst, not to 36,000
    assertThat(granted(limiter, "k", 10, 100)).isEqualTo(10);
  }

  @Test
  void overASecondOfSteadyTrafficTheRateIsWhatPasses() {
    RateLimiter limiter = limiter(1, 100);
    int granted = 0;
    for (int ms = 0; ms < 10_000; ms++) {
      clock.addAndGet(MS);
      granted += granted(limiter, "k", 100, 5);
    }
    // 10 s at 100/s plus the initial burst of 100
    assertThat(granted).isBetween(1099, 1101);
  }

  @Test
  void oneKeyOverItsLimitLeavesAnotherKeyUntouched() {
    RateLimiter limiter = limiter(1, 100);
    assertThat(granted(limiter, "greedy", 5, 1000)).isEqualTo(5);
    assertThat(granted(limiter, "modest", 5, 5)).isEqualTo(5);
  }

  @Test
  void aBucketHoldsAtLeastOneTokenWhateverTheBurst() {
    RateLimiter limiter = limiter(0.01, 100);
    assertThat(granted(limiter, "k", 1, 10)).isEqualTo(1);
    clock.addAndGet(1000 * MS);
    assertThat(granted(limiter, "k", 1, 10)).isEqualTo(1);
  }

  @Test
  void eachCallNamesItsOwnRateForTheSameKey() {
    RateLimiter limiter = limiter(1, 100);
    assertThat(granted(limiter, "k", 1000, 2000)).isEqualTo(1000);
  }

  @Test
  void theMapNeverHoldsMoreThanMaxKeys() {
    RateLimiter limiter = limiter(1, 10);
    for (int i = 0; i < 1000; i++) {
      limiter.acquire("key-" + i, 5);
    }
    assertThat(limiter.size()).isEqualTo(10);
  }

  @Test
  void keysBeyondTheBudgetShareOneOverflowBucket() {
    RateLimiter limiter = limiter(1, 2);
    limiter.acquire("a", 5);
    limiter.acquire("b", 5);
    // a flood of fresh keys is limited as one client: 5 tokens among all of them
    int granted = 0;
    for (int i = 0; i < 100; i++) {
      granted += limiter.acquire("fresh-" + i, 5) == 0 ? 1 : 0;
    }
    assertThat(granted).isEqualTo(5);
  }

  @Test
  void idleBucketsAreEvictedToMakeRoomForNewKeys() {
    RateLimiter limiter = limiter(1, 2);
    limiter.acquire("a", 10);
    limiter.acquire("b", 10);
    clock.addAndGet(2000 * MS); // both full again: nothing to remember about them
    assertThat(limiter.acquire("c", 10)).isZero();
    assertThat(limiter.size()).isEqualTo(1);
  }

  @Test
  void busyBucketsAreNotEvicted() {
    RateLimiter limiter = limiter(1, 2);
    granted(limiter, "a", 10, 10);
    granted(limiter, "b", 10, 10);
    clock.addAndGet(1500 * MS);
    limiter.acquire("c", 10);
    // "a" and "b" had refilled and were dropped for "c"
    granted(limiter, "c", 10, 10);
    granted(limiter, "d", 10, 10);
    clock.addAndGet(1100 * MS);
    granted(limiter, "c", 10, 10);
    granted(limiter, "d", 10, 10);
    clock.addAndGet(50 * MS);
    // both still owe tokens: a newcomer gets the overflow bucket, "c" keeps its own (empty) one
    assertThat(limiter.acquire("e", 10)).isZero();
    assertThat(limiter.acquire("c", 10)).isPositive();
    assertThat(limiter.size()).isEqualTo(2);
  }

  @Test
  void aSweepRunsAtMostOncePerSecond() {
    RateLimiter limiter = limiter(0.1, 1); // one token at 10/s
    limiter.acquire("a", 10); // "a" owes a token for 100 ms
    limiter.acquire("b", 10); // the map is full, a sweep finds nothing idle: "b" overflows
    clock.addAndGet(200 * MS); // "a" is idle now, but the next sweep is not due
    assertThat(limiter.acquire("c", 10)).isZero();
    assertThat(limiter.acquire("c", 10)).as("c shares the overflow bucket").isPositive();
    assertThat(limiter.acquire("a", 10)).as("a kept its own bucket").isZero();
  }

  @Test
  void aNonPositiveRateIsAProgrammingError() {
    assertThatThrownBy(() -> limiter(1, 1).acquire("k", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimiter(clock::get, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
