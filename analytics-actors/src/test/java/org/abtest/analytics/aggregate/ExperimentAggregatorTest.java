package org.abtest.analytics.aggregate;

import static org.abtest.analytics.results.ResultsBuilderTest.experiment;
import static org.abtest.analytics.results.ResultsBuilderTest.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.abtest.analytics.results.GuardrailWatch;
import org.abtest.analytics.results.SequentialLedger;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.SequentialMethod;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The aggregator on the persistence testkit (events, state and messages serialized as in the
 * cluster): the sequential ledger is folded from the merged totals, persisted, and the same after a
 * restart; the time series follows the last change within one interval.
 */
class ExperimentAggregatorTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  private static final Duration INTERVAL = Duration.ofMillis(300);

  private record Written(ExperimentTotals totals, Instant bucket) {}

  private final Queue<Written> written = new ConcurrentLinkedQueue<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<
          ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
      kit(Experiment definition) {
    return kit(definition, definition.key(), (experiment, guardrail) -> {});
  }

  private EventSourcedBehaviorTestKit<
          ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
      kit(Experiment definition, String key, GuardrailWatch.Sink guardrails) {
    var settings =
        new ExperimentAggregator.Settings(
            (totals, bucket) -> {
              written.add(new Written(totals, bucket));
              return CompletableFuture.completedFuture(Done.getInstance());
            },
            INTERVAL,
            new SeriesBuckets(
                Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(1), 2000),
            k -> CompletableFuture.completedFuture(definition),
            Duration.ofSeconds(10),
            Clock.systemUTC(),
            null,
            guardrails);
    return EventSourcedBehaviorTestKit.create(
        testKit.system(), ExperimentAggregator.create(key, settings));
  }

  /** Half of each arm's units and conversions from each of two partitions. */
  private static void replace(
      EventSourcedBehaviorTestKit<
              ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
          kit,
      long offset,
      ExperimentTotals half) {
    kit.runCommand(new ExperimentAggregator.ReplacePartial(0, offset, List.of(half)));
    kit.runCommand(new ExperimentAggregator.ReplacePartial(1, offset, List.of(half)));
  }

  private static ExperimentAggregator.Totals awaitTotals(
      EventSourcedBehaviorTestKit<
              ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
          kit,
      Predicate<ExperimentAggregator.Totals> done) {
    // the kit's commands run on the test's thread, one at a time
    return await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () ->
                kit.<ExperimentAggregator.Totals>runCommand(ExperimentAggregator.GetTotals::new)
                    .reply(),
            done);
  }

  @Test
  void guardrailsActOnProductionsResultsOnlyNeverOnAnotherEnvironments() {
    Experiment e =
        experiment(SequentialMethod.NONE, null, null)
            .with(
                Map.of(
                    ExperimentField.GUARDRAILS,
                    List.of(
                        new Guardrail(
                            "purchase", Guardrail.Direction.DECREASE, 0, Guardrail.Action.KILL))));
    Queue<String> violated = new ConcurrentLinkedQueue<>();
    var staging = kit(e, "checkout-button@staging", (d, g) -> violated.add("staging"));
    var production = kit(e, "checkout-button", (d, g) -> violated.add("production"));
    // the same clear drop in both (8 % → 4 % conversion), sent until production's acts on it
    await()
        .pollInSameThread()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              long offset = System.nanoTime();
              replace(staging, offset, totals(5000, 5000, 400, 200, 0));
              replace(production, offset, totals(5000, 5000, 400, 200, 0));
              return violated.contains("production");
            });
    assertThat(violated).doesNotContain("staging");
  }

  @Test
  void msprtMinimumIsFoldedFromMergedTotalsPersistedAndKeptAcrossARestart() throws Exception {
    var kit = kit(experiment(SequentialMethod.MSPRT, null, null));
    // two partitions: 10000/10000 units, 800/1000 conversions merged
    replace(kit, 10, totals(5000, 5000, 400, 500, 0));
    var strong =
        awaitTotals(
            kit,
            t ->
                t.sequential() != null
                    && t.sequential().comparisons().containsKey("purchase/green")
                    && t.byPhase().get(1).unitsPerVariant().get("control") == 10000);
    SequentialLedger before = strong.sequential();
    // python/scipy (SequentialLedgerTest): 4.454562356109889e-05 for 10000/10000, 800/1000
    assertThat(before.comparisons().get("purchase/green").alwaysValidPValue())
        .isCloseTo(4.454562356109889e-05, within(1e-12));

    kit.restart();
    assertThat(awaitTotals(kit, t -> true).sequential()).isEqualTo(before);

    // the effect fades: the persisted minimum stays
    replace(kit, 20, totals(10000, 10000, 800, 805, 0));
    var later = awaitTotals(kit, t -> t.byPhase().get(1).unitsPerVariant().get("control") == 20000);
    assertThat(later.sequential().comparisons().get("purchase/green").alwaysValidPValue())
        .isEqualTo(before.comparisons().get("purchase/green").alwaysValidPValue());
    kit.restart();
    assertThat(awaitTotals(kit, t -> true).sequential()).isEqualTo(later.sequential());
  }

  @Test
  void obfLooksArePersistedWithTheTotalsThatMadeThem() throws Exception {
    var kit = kit(experiment(SequentialMethod.OBF, 100000L, 5));
    // The definition is asked for at recovery and its answer is already complete, so it is in the
    // mailbox before the first reply: a second command is answered after it has been read.
    awaitTotals(kit, t -> true);
    awaitTotals(kit, t -> true);
    replace(kit, 10, totals(5000, 5000, 400, 440, 0));
    var one = awaitTotals(kit, t -> t.sequential() != null && !t.sequential().looks().isEmpty());
    assertThat(one.sequential().lastLook().look()).isEqualTo(1);
    assertThat(one.sequential().lastLook().units()).isEqualTo(20000);
    kit.restart();
    assertThat(awaitTotals(kit, t -> true).sequential()).isEqualTo(one.sequential());
    assertThat(awaitTotals(kit, t -> true).phaseStarts()).containsKey(1);
  }

  @Test
  void aBurstOfChangesReachesTheSeriesWithinOneInterval() throws Exception {
    var kit = kit(experiment(SequentialMethod.NONE, null, null));
    for (int i = 1; i <= 5; i++) {
      kit.runCommand(
          new ExperimentAggregator.ReplacePartial(
              0, i, List.of(totals(100 * i, 100 * i, i, i, 0))));
    }
    long changedAt = System.nanoTime();
    await()
        .atMost(INTERVAL.multipliedBy(3))
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                written.stream().anyMatch(w -> w.totals().unitsPerVariant().get("control") == 500));
    long lag = Duration.ofNanos(System.nanoTime() - changedAt).toMillis();
    assertThat(written)
        .as("the last change is written, %d ms after it", lag)
        .anyMatch(w -> w.totals().unitsPerVariant().get("control") == 500);
    // one write at once, one for the rest of the burst: not one per change
    assertThat(written).hasSizeLessThanOrEqualTo(2);
    assertThat(lag).isLessThan(INTERVAL.toMillis() + 500);
    Instant bucket = written.peek().bucket();
    assertThat(bucket.toEpochMilli() % Duration.ofMinutes(5).toMillis()).isZero();
  }
}
