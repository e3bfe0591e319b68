package org.abtest.analytics.stats;

import static org.abtest.analytics.stats.Close.close;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.assignment.Bucketing;
import org.junit.jupiter.api.Test;

/**
 * Reference values: scipy 1.17.1, per epoch {@code scipy.stats.chisquare(u, u.sum() * w /
 * w.sum())}, statistics summed, {@code scipy.stats.chi2.sf(sum, 8)} with 8 = 4 epochs × (3 − 1).
 */
class EpochSrmTest {

  /** A bandit whose weights moved three times: four epochs. */
  private static final List<List<Long>> WEIGHTS =
      List.of(
          List.of(3334L, 3333L, 3333L),
          List.of(2000L, 6000L, 2000L),
          List.of(1000L, 8000L, 1000L),
          List.of(500L, 9000L, 500L));

  private static List<EpochSrm.Epoch> epochs(List<List<Long>> units) {
    List<EpochSrm.Epoch> out = new ArrayList<>();
    for (int i = 0; i < WEIGHTS.size(); i++) {
      out.add(new EpochSrm.Epoch(WEIGHTS.get(i), units.get(i)));
    }
    return out;
  }

  private static final List<List<Long>> FAIR =
      List.of(
          List.of(1012L, 990L, 1003L),
          List.of(405L, 1190L, 398L),
          List.of(212L, 1585L, 203L),
          List.of(96L, 1812L, 104L));

  @Test
  void perEpochStatisticsAddUpWithTheirDegreesOfFreedomAsScipyComputes() {
    Srm s = EpochSrm.check(epochs(FAIR));
    close(s.chi2(), 1.6015760848154459);
    close(s.pValue(), 0.9908898937465956);
    assertThat(s.mismatch()).isFalse();
  }

  @Test
  void theSameUnitsAgainstTheCurrentWeightsAloneAreAFalseAlarm() {
    // what SRM did before epochs: 1725/5577/1708 units against 5/90/5 %
    Srm s = Srm.check(List.of(1725L, 5577L, 1708L), WEIGHTS.get(3));
    close(s.chi2(), 7906.380688124306);
    assertThat(s.mismatch()).isTrue();
  }

  @Test
  void anEpochSkewedOnPurposeIsFlagged() {
    List<List<Long>> skewed = new ArrayList<>(FAIR);
    skewed.set(2, List.of(150L, 1700L, 150L));
    Srm s = EpochSrm.check(epochs(skewed));
    close(s.chi2(), 31.945951084815444);
    close(s.pValue(), 9.52406980951659e-05);
    assertThat(s.mismatch()).isTrue();
  }

  @Test
  void oneEpochIsTheSingleTest() {
    Srm one = EpochSrm.check(List.of(new EpochSrm.Epoch(WEIGHTS.get(1), FAIR.get(1))));
    close(one.chi2(), 0.13179461448402632);
    close(one.pValue(), 0.9362270030882042);
    assertThat(one).isEqualTo(Srm.check(FAIR.get(1), WEIGHTS.get(1)));
  }

  @Test
  void emptyEpochsCarryNothingAndUnitsInASwitchedOffVariantAreAMismatch() {
    assertThat(EpochSrm.check(List.of())).isEqualTo(new Srm(null, null, false));
    var empty = new EpochSrm.Epoch(WEIGHTS.get(0), List.of(0L, 0L, 0L));
    var fair = new EpochSrm.Epoch(WEIGHTS.get(1), FAIR.get(1));
    assertThat(EpochSrm.check(List.of(empty, fair))).isEqualTo(EpochSrm.check(List.of(fair)));
    var off = new EpochSrm.Epoch(List.of(5000L, 5000L, 0L), List.of(10L, 10L, 1L));
    assertThat(EpochSrm.check(List.of(fair, off))).isEqualTo(new Srm(null, 0.0, true));
  }

  /**
   * The bandit case end to end over the assignment function: units bucketed with the phase's salt
   * (sticky changes keep it) into the ranges of the weights of their epoch (DESIGN.md §3).
   */
  @Test
  void aBanditWhoseWeightsMovedThreeTimesHasNoSrmUnlessTheTrafficIsSkewed() {
    List<List<Long>> fair = new ArrayList<>();
    List<List<Long>> skewed = new ArrayList<>();
    int unit = 0;
    for (List<Long> weights : WEIGHTS) {
      long[] counts = new long[3];
      long[] lossy = new long[3];
      for (int i = 0; i < 4000; i++, unit++) {
        int v = variantOf(Bucketing.bucket("bandit-salt", "user-" + unit), weights);
        counts[v]++;
        // skewed: one exposure in ten of the first arm is lost (a client that logs late for it)
        if (v != 0 || unit % 10 != 0) {
          lossy[v]++;
        }
      }
      fair.add(List.of(counts[0], counts[1], counts[2]));
      skewed.add(List.of(lossy[0], lossy[1], lossy[2]));
    }
    assertThat(EpochSrm.check(epochs(fair)).mismatch()).isFalse();
    assertThat(EpochSrm.check(epochs(skewed)).mismatch()).isTrue();
    // and testing every unit against the last weights raises the false alarm this fixes
    long[] all = new long[3];
    for (List<Long> c : fair) {
      for (int v = 0; v < 3; v++) {
        all[v] += c.get(v);
      }
    }
    assertThat(Srm.check(List.of(all[0], all[1], all[2]), WEIGHTS.get(3)).mismatch()).isTrue();
  }

  private static int variantOf(int bucket, List<Long> weights) {
    long start = 0;
    for (int v = 0; v < weights.size(); v++) {
      start += weights.get(v);
      if (bucket < start) {
        return v;
      }
    }
    throw new IllegalStateException("weights do not cover the bucket " + bucket);
  }
}
