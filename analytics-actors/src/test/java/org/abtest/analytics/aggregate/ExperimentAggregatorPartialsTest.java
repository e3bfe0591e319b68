package org.abtest.analytics.aggregate;

import static org.abtest.analytics.results.ResultsBuilderTest.experiment;
import static org.abtest.analytics.results.ResultsBuilderTest.totals;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.SequentialMethod;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * How the aggregator merges what the partitions send (DESIGN.md §2): the latest partial of each
 * partition replaces its previous one, partitions add up, an older or repeated partial changes
 * nothing and persists nothing, and a changed definition is picked up at the next refresh.
 */
class ExperimentAggregatorPartialsTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  private static final AtomicInteger ids = new AtomicInteger();

  private final AtomicReference<Experiment> definition =
      new AtomicReference<>(experiment(SequentialMethod.NONE, null, null));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private EventSourcedBehaviorTestKit<
          ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
      kit(Duration definitionRefresh) {
    var settings =
        new ExperimentAggregator.Settings(
            (totals, bucket) -> CompletableFuture.completedFuture(Done.getInstance()),
            Duration.ofMinutes(1),
            new SeriesBuckets(
                Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(1), 2000),
            key -> CompletableFuture.completedFuture(definition.get()),
            definitionRefresh,
            Clock.systemUTC(),
            null,
            (experiment, guardrail) -> {});
    return EventSourcedBehaviorTestKit.create(
        testKit.system(),
        ExperimentAggregator.create("checkout-button-" + ids.incrementAndGet(), settings));
  }

  private static EventSourcedBehaviorTestKit.CommandResult<
          ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
      replace(
          EventSourcedBehaviorTestKit<
                  ExperimentAggregator.Command,
                  ExperimentAggregator.Event,
                  ExperimentAggregator.State>
              kit,
          int partition,
          long offset,
          ExperimentTotals partial) {
    return kit.runCommand(
        new ExperimentAggregator.ReplacePartial(partition, offset, List.of(partial)));
  }

  private static ExperimentAggregator.Totals totalsOf(
      EventSourcedBehaviorTestKit<
              ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State>
          kit) {
    return kit.<ExperimentAggregator.Totals>runCommand(ExperimentAggregator.GetTotals::new).reply();
  }

  private static long controlUnits(ExperimentAggregator.Totals t) {
    return t.byPhase().get(1).unitsPerVariant().get("control");
  }

  @Test
  void aPartitionsNewPartialReplacesItsPreviousOneRatherThanAddingToIt() {
    var kit = kit(Duration.ofHours(1));
    replace(kit, 0, 10, totals(100, 100, 10, 10, 0));
    replace(kit, 0, 20, totals(150, 140, 15, 14, 0));

    var t = totalsOf(kit);
    assertThat(controlUnits(t)).isEqualTo(150);
    assertThat(t.byPhase().get(1).metrics().get("purchase").get("green").n()).isEqualTo(14);
    assertThat(t.offsets()).containsExactly(Map.entry(0, 20L));
  }

  @Test
  void thePartialsOfDifferentPartitionsAddUp() {
    var kit = kit(Duration.ofHours(1));
    replace(kit, 0, 10, totals(100, 100, 10, 10, 0));
    replace(kit, 3, 7, totals(50, 60, 5, 6, 1));

    var t = totalsOf(kit);
    assertThat(controlUnits(t)).isEqualTo(150);
    assertThat(t.byPhase().get(1).unitsPerVariant().get("green")).isEqualTo(160);
    assertThat(t.byPhase().get(1).multipleExposureUnits()).isEqualTo(1);
    assertThat(t.offsets()).containsExactly(Map.entry(0, 10L), Map.entry(3, 7L));
  }

  @Test
  void aPartialOlderThanTheOneHeldChangesNothingAndPersistsNothing() {
    var kit = kit(Duration.ofHours(1));
    replace(kit, 0, 20, totals(150, 150, 15, 15, 0));

    var late = replace(kit, 0, 10, totals(100, 100, 10, 10, 0));

    assertThat(late.events()).isEmpty();
    assertThat(controlUnits(totalsOf(kit))).isEqualTo(150);
  }

  @Test
  void theSamePartialSentTwiceIsPersistedOnce() {
    var kit = kit(Duration.ofHours(1));
    assertThat(replace(kit, 0, 10, totals(100, 100, 10, 10, 0)).events()).hasSize(1);

    assertThat(replace(kit, 0, 10, totals(100, 100, 10, 10, 0)).events()).isEmpty();
    assertThat(controlUnits(totalsOf(kit))).isEqualTo(100);
  }

  @Test
  void aDifferentPartialAtTheSameOffsetReplacesTheHeldOne() {
    // a partition restarted from an older snapshot recounts up to the same offset
    var kit = kit(Duration.ofHours(1));
    replace(kit, 0, 10, totals(100, 100, 10, 10, 0));

    assertThat(replace(kit, 0, 10, totals(90, 100, 10, 10, 0)).events()).hasSize(1);
    assertThat(controlUnits(totalsOf(kit))).isEqualTo(90);
  }

  @Test
  void theMergedTotalsAreTheSameAfterARestart() {
    var kit = kit(Duration.ofHours(1));
    replace(kit, 0, 10, totals(100, 100, 10, 10, 0));
    replace(kit, 1, 12, totals(30, 40, 3, 4, 0));
    replace(kit, 0, 11, totals(110, 100, 10, 10, 0));
    var before = totalsOf(kit);

    kit.restart();

    var after = totalsOf(kit);
    assertThat(after.byPhase()).isEqualTo(before.byPhase());
    assertThat(after.offsets()).isEqualTo(before.offsets());
    assertThat(controlUnits(after)).isEqualTo(140);
  }

  @Test
  void aDefinitionThatTurnsSequentialOnIsFoldedAfterTheNextRefresh() {
    var kit = kit(Duration.ZERO);
    replace(kit, 0, 10, totals(5000, 5000, 400, 500, 0));
    assertThat(totalsOf(kit).sequential()).as("no sequential design yet").isNull();

    definition.set(experiment(SequentialMethod.MSPRT, null, null));
    // a partial is what makes the aggregator read its definition again once the refresh is due
    replace(kit, 1, 10, totals(5000, 5000, 400, 500, 0));

    var folded =
        await()
            .pollInSameThread()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> totalsOf(kit), t -> t.sequential() != null);
    assertThat(folded.sequential().comparisons()).containsKey("purchase/green");
    assertThat(controlUnits(folded)).isEqualTo(10000);
  }

  @Test
  void aDefinitionIsNotReadAgainBeforeItsRefreshIsDue() {
    var kit = kit(Duration.ofHours(1));
    replace(kit, 0, 10, totals(5000, 5000, 400, 500, 0));
    totalsOf(kit);
    totalsOf(
        kit); // the definition read at recovery has been taken in (see ExperimentAggregatorTest)

    definition.set(experiment(SequentialMethod.MSPRT, null, null));
    replace(kit, 1, 10, totals(5000, 5000, 400, 500, 0));
    totalsOf(kit);

    assertThat(totalsOf(kit).sequential()).as("still folded with the definition it had").isNull();
  }
}
