package org.abtest.analytics.results;

import static org.abtest.analytics.results.ResultsBuilderTest.experiment;
import static org.abtest.analytics.results.ResultsBuilderTest.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.SequentialMethod;
import org.junit.jupiter.api.Test;

/**
 * Reference values, independent of the engine: python 3 with scipy 1.17.1. mSPRT: the mixture
 * formula of Johari et al. (2017) on the unpooled variance of the difference, τ² = 0.01 × the
 * pooled per-unit variance ({@code lam = sqrt(V/(V+tau2))*exp(tau2*d*d/(2*V*(V+tau2)))}, {@code p =
 * min(1, 1/lam)}, half-width {@code sqrt(V*(V+tau2)/tau2*(2*log(1/alpha)+log((V+tau2)/V)))}). z:
 * the pooled two-proportion statistic {@code (pB-pA)/sqrt(p(1-p)(1/nA+1/nB))}. O'Brien–Fleming
 * boundaries for 5 looks at α = 0.05: rpact (as in BoundariesTest): 4.87688, 3.35701, 2.68028.
 */
class SequentialLedgerTest {

  private static final String PURCHASE = "purchase/green";

  private static final Experiment MSPRT = experiment(SequentialMethod.MSPRT, null, null);
  private static final Experiment OBF = experiment(SequentialMethod.OBF, 100000L, 5);

  @Test
  void msprtKeepsTheRunningMinimumAndTheIntersectionOverLooks() {
    SequentialLedger first =
        SequentialLedger.advance(MSPRT, totals(10000, 10000, 800, 1000, 0), null);
    SequentialLedger.Running strong = first.comparisons().get(PURCHASE);
    assertThat(strong.alwaysValidPValue()).isCloseTo(4.454562356109889e-05, within(1e-12));
    assertThat(strong.csLow()).isCloseTo(0.007131099238130871, within(1e-12));
    assertThat(strong.csHigh()).isCloseTo(0.03286890076186914, within(1e-12));

    // the effect fades: this look alone gives p = 1 and the interval (-0.008392, 0.009392)
    SequentialLedger second =
        SequentialLedger.advance(MSPRT, totals(20000, 20000, 1600, 1610, 0), first);
    SequentialLedger.Running later = second.comparisons().get(PURCHASE);
    assertThat(later.alwaysValidPValue()).isEqualTo(strong.alwaysValidPValue());
    assertThat(later.csLow()).isEqualTo(strong.csLow());
    assertThat(later.csHigh()).isCloseTo(0.009392137708939718, within(1e-12));
    assertThat(second.looks()).isEmpty();
  }

  @Test
  void foldingTheSameTotalsTwiceChangesNothing() {
    var t = totals(10000, 10000, 800, 1000, 0);
    SequentialLedger once = SequentialLedger.advance(MSPRT, t, null);
    assertThat(SequentialLedger.advance(MSPRT, t, once)).isEqualTo(once);
    SequentialLedger look = SequentialLedger.advance(OBF, t, null);
    assertThat(SequentialLedger.advance(OBF, t, look)).isEqualTo(look);
  }

  @Test
  void aNewPhaseStartsOverAndTotalsOfAnotherPhaseAreIgnored() {
    SequentialLedger strong =
        SequentialLedger.advance(MSPRT, totals(10000, 10000, 800, 1000, 0), null);
    var oldPhase = new SequentialLedger(0, strong.comparisons(), strong.looks());
    SequentialLedger fresh =
        SequentialLedger.advance(MSPRT, totals(5000, 5000, 400, 440, 0), oldPhase);
    assertThat(fresh.phase()).isEqualTo(1);
    assertThat(fresh.comparisons().get(PURCHASE).alwaysValidPValue()).isEqualTo(1.0);

    var otherPhase =
        new org.abtest.analytics.aggregate.ExperimentTotals(
            "checkout-button",
            2,
            ResultsBuilderTest.AS_OF,
            java.util.Map.of(),
            java.util.Map.of(),
            java.util.Map.of(),
            0);
    assertThat(SequentialLedger.advance(MSPRT, otherPhase, strong)).isEqualTo(strong);
  }

  @Test
  void obfLookHappensWhenTheInformationFractionReachesItsPlannedShare() {
    // 20000 of 100000 units: fraction 0.2 = look 1 of 5; z = 2.0393 < 4.87688
    SequentialLedger one = SequentialLedger.advance(OBF, totals(10000, 10000, 800, 880, 0), null);
    assertThat(one.looks()).hasSize(1);
    SequentialLedger.Look look1 = one.lastLook();
    assertThat(look1.look()).isEqualTo(1);
    assertThat(look1.informationFraction()).isEqualTo(0.2);
    assertThat(look1.units()).isEqualTo(20000);
    assertThat(look1.at()).isEqualTo(ResultsBuilderTest.AS_OF);
    assertThat(look1.boundary()).isCloseTo(4.87688494879076, within(2e-6));
    assertThat(look1.statistics().get(PURCHASE)).isCloseTo(2.039330475349628, within(1e-9));
    assertThat(one.comparisons().get(PURCHASE).crossedAtLook()).isNull();

    // more units, still below 0.4: no look
    SequentialLedger same = SequentialLedger.advance(OBF, totals(19000, 19000, 1520, 1900, 0), one);
    assertThat(same).isEqualTo(one);

    // fraction 0.4: look 2, z = 6.3215 ≥ 3.35701: crossed
    SequentialLedger two = SequentialLedger.advance(OBF, totals(20000, 20000, 1600, 1960, 0), same);
    assertThat(two.lastLook().look()).isEqualTo(2);
    assertThat(two.lastLook().boundary()).isCloseTo(3.35701192170382, within(2e-6));
    assertThat(two.lastLook().statistics().get(PURCHASE))
        .isCloseTo(6.321473377807221, within(1e-9));
    assertThat(two.comparisons().get(PURCHASE).crossedAtLook()).isEqualTo(2);

    // fraction 0.6: look 3, z = 1.7856 < 2.68028, but a crossed boundary stays crossed
    SequentialLedger three =
        SequentialLedger.advance(OBF, totals(30000, 30000, 2400, 2520, 0), two);
    assertThat(three.looks()).extracting(SequentialLedger.Look::look).containsExactly(1, 2, 3);
    assertThat(three.comparisons().get(PURCHASE).crossedAtLook()).isEqualTo(2);
  }

  @Test
  void totalsJumpingPastSeveralPlannedFractionsMakeOneLookTheLastReached() {
    // 65000 of 100000: past 0.2, 0.4 and 0.6 at once; z = 1.8585 < 2.68028
    SequentialLedger ledger =
        SequentialLedger.advance(OBF, totals(32500, 32500, 2600, 2730, 0), null);
    assertThat(ledger.looks()).hasSize(1);
    assertThat(ledger.lastLook().look()).isEqualTo(3);
    assertThat(ledger.lastLook().boundary()).isCloseTo(2.68028006702662, within(2e-6));
    assertThat(ledger.lastLook().statistics().get(PURCHASE))
        .isCloseTo(1.8584822055076393, within(1e-9));
  }

  @Test
  void obfWithoutATargetHasNoLooksAndNoneKeepsNoLedger() {
    Experiment noTarget = experiment(SequentialMethod.OBF, null, 5);
    SequentialLedger ledger =
        SequentialLedger.advance(noTarget, totals(10000, 10000, 800, 880, 0), null);
    assertThat(ledger.looks()).isEmpty();
    assertThat(
            SequentialLedger.advance(
                experiment(SequentialMethod.NONE, null, null),
                totals(10000, 10000, 800, 880, 0),
                null))
        .isNull();
  }

  @Test
  void theInformationFractionIsCappedAtOne() {
    assertThat(SequentialLedger.informationFraction(OBF, 250000)).isEqualTo(1.0);
    assertThat(SequentialLedger.informationFraction(MSPRT, 250000)).isNull();
    SequentialLedger last =
        SequentialLedger.advance(OBF, totals(60000, 60000, 4800, 5000, 0), null);
    assertThat(last.lastLook().look()).isEqualTo(5);
    assertThat(last.lastLook().informationFraction()).isEqualTo(1.0);
  }
}
