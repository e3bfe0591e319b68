package org.abtest.analytics.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fingerprint window against a plain map of ids to the bucket they were first seen in. */
class DedupWindowTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void theWindowDecidesAsAPlainMapOfIdsUnderRandomOperations(long seed) {
    Random random = new Random(seed);
    long window = 1000 + random.nextInt(10_000);
    int bucketCount = 1 + random.nextInt(30);
    long bucket = Math.max(1, window / bucketCount);
    DedupWindow dedup = new DedupWindow(window, bucketCount);
    Map<String, Long> firstSeenBucket = new HashMap<>();
    long now = random.nextInt(100_000) - 50_000;
    for (int op = 0; op < 100_000; op++) {
      now += random.nextInt(20) == 0 ? random.nextInt(3000) : random.nextInt(3);
      String id = "id-" + random.nextInt(5_000);
      long start = now - Math.floorMod(now, bucket);
      Long seen = firstSeenBucket.get(id);
      boolean expected = seen == null || seen + bucket + window <= now;
      if (expected) {
        firstSeenBucket.put(id, start);
      }
      assertThat(dedup.firstSeen(id, now)).as("op %d id %s", op, id).isEqualTo(expected);
    }
  }

  @Test
  void anIdCostsAtMost20BytesOverAWholeWindow() {
    long hour = 3_600_000L;
    DedupWindow dedup = new DedupWindow(24 * hour, 24);
    int perHour = 60_000;
    Random random = new Random(9);
    for (int h = 0; h < 30; h++) {
      for (int i = 0; i < perHour; i++) {
        dedup.firstSeen(random.nextLong(), random.nextLong() | 1, h * hour + i);
      }
    }
    // 24 closed hours and the open one (the one before expired)
    assertThat(dedup.size()).isEqualTo(25L * perHour);
    System.out.printf(
        "dedup window: %.1f bytes per id at %d ids in 25 buckets%n",
        (double) dedup.bytes() / dedup.size(), dedup.size());
    assertThat((double) dedup.bytes() / dedup.size()).isLessThanOrEqualTo(20.0);
  }

  @Test
  void aFingerprintOfZeroesIsStillRemembered() {
    DedupWindow dedup = new DedupWindow(1000, 2);
    assertThat(dedup.firstSeen(0, 1, 0)).isTrue();
    assertThat(dedup.firstSeen(0, 1, 1)).isFalse();
  }

  @Test
  void aClosedBucketFindsEveryMemberAndNoStranger() {
    Random random = new Random(3);
    for (int n : new int[] {0, 1, 2, 3, 7, 100, 4097}) {
      long[] hi = new long[n];
      long[] lo = new long[n];
      for (int i = 0; i < n; i++) {
        hi[i] = random.nextLong();
        lo[i] = random.nextLong() | 1;
      }
      ClosedFingerprints closed = ClosedFingerprints.of(0, hi, lo, n);
      assertThat(closed.size()).isEqualTo(n);
      for (int i = 0; i < n; i++) {
        assertThat(closed.contains(hi[i], lo[i])).isTrue();
        assertThat(closed.contains(hi[i], lo[i] + 2)).isFalse();
      }
      assertThat(closed.contains(random.nextLong(), 1)).isFalse();
    }
  }

  @Test
  void legacyHashesMatchAnIdByTheFirstHalfOfItsFingerprintUntilTheyExpire() {
    DedupWindow dedup = new DedupWindow(1000, 1);
    dedup.restoreLegacy(0, new long[] {DedupWindow.fingerprint("old")[0]});
    assertThat(dedup.firstSeen("old", 500)).isFalse();
    assertThat(dedup.firstSeen("new", 500)).isTrue();
    assertThat(dedup.firstSeen("old", 2000)).isTrue();
    assertThat(dedup.legacyBuckets()).isEmpty();
  }
}
