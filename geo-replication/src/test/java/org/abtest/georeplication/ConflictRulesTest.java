package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Phase;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

/** Replicas receive each other's events in any order; every order must give the same state. */
class ConflictRulesTest {

  private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  private static Origin in(String region, int millis) {
    return new Origin("tok-" + region, "user-" + region, region, T0.plusMillis(millis));
  }

  private static final ExperimentEntity.Event CREATED =
      new ExperimentEntity.ExperimentCreated(
          Experiment.draft(
                  "x",
                  "X",
                  10_000,
                  List.of(new Variant("a", 5000, null), new Variant("b", 5000, null)))
              .asCreated("salt-1", T0),
          in("eu", 0));
  private static final ExperimentEntity.Event STARTED =
      new ExperimentEntity.StatusChanged(Lifecycle.START, in("eu", 1));

  /** Folds the common prefix, then every permutation of the concurrent events. */
  private static List<ExperimentState> allOrders(List<ExperimentEntity.Event> concurrent) {
    List<ExperimentState> results = new ArrayList<>();
    permute(new ArrayList<>(concurrent), 0, results);
    return results;
  }

  private static void permute(
      List<ExperimentEntity.Event> events, int from, List<ExperimentState> results) {
    if (from == events.size()) {
      ExperimentState s = ExperimentEntity.apply(ExperimentState.EMPTY, CREATED);
      s = ExperimentEntity.apply(s, STARTED);
      for (ExperimentEntity.Event e : events) {
        s = ExperimentEntity.apply(s, e);
      }
      results.add(s);
      return;
    }
    for (int i = from; i < events.size(); i++) {
      java.util.Collections.swap(events, from, i);
      permute(events, from + 1, results);
      java.util.Collections.swap(events, from, i);
    }
  }

  @Test
  void aKillWinsOverALaterPauseAndResumeFromAnotherRegion() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.StatusChanged(Lifecycle.KILL, in("eu", 10)),
                new ExperimentEntity.StatusChanged(Lifecycle.PAUSE, in("us", 20)),
                new ExperimentEntity.StatusChanged(Lifecycle.RESUME, in("us", 30))));
    assertThat(results).allSatisfy(s -> assertThat(s.status()).isEqualTo(ExperimentStatus.KILLED));
    assertThat(results).extracting(s -> s.experiment().version()).containsOnly(5L);
  }

  @Test
  void aKillWinsOverAConcurrentConclude() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, in("us", 50)),
                new ExperimentEntity.StatusChanged(Lifecycle.KILL, in("eu", 10))));
    assertThat(results).allSatisfy(s -> assertThat(s.status()).isEqualTo(ExperimentStatus.KILLED));
  }

  @Test
  void aKillWinsOverAConcurrentConcludeThatShipsAndNothingStaysShipped() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, in("us", 50), "b"),
                new ExperimentEntity.StatusChanged(Lifecycle.KILL, in("eu", 10))));
    assertThat(results).allSatisfy(s -> assertThat(s.status()).isEqualTo(ExperimentStatus.KILLED));
    assertThat(results).allSatisfy(s -> assertThat(s.experiment().shipped()).isNull());
  }

  @Test
  void concurrentConcludesShipTheVariantOfTheLaterOne() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, in("us", 50), "b"),
                new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, in("eu", 10), "a"),
                new ExperimentEntity.StatusChanged(Lifecycle.CONCLUDE, in("ap", 30))));
    assertThat(results)
        .allSatisfy(s -> assertThat(s.status()).isEqualTo(ExperimentStatus.CONCLUDED));
    assertThat(results).allSatisfy(s -> assertThat(s.experiment().shipped()).isEqualTo("b"));
  }

  @Test
  void aDeleteOfADraftWinsOverAStartMadeConcurrentlyInAnotherRegion() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.StatusChanged(Lifecycle.DELETE, in("eu", 10)),
                new ExperimentEntity.StatusChanged(Lifecycle.START, in("us", 20)),
                new ExperimentEntity.StatusChanged(Lifecycle.KILL, in("us", 30))));
    assertThat(results).allSatisfy(s -> assertThat(s.status()).isEqualTo(ExperimentStatus.DELETED));
  }

  @Test
  void concurrentPauseAndResumeResolveToTheLaterStamp() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.StatusChanged(Lifecycle.PAUSE, in("eu", 10)),
                new ExperimentEntity.StatusChanged(Lifecycle.PAUSE, in("us", 10)),
                new ExperimentEntity.StatusChanged(Lifecycle.RESUME, in("us", 9))));
    // Same millisecond: the replica id breaks the tie ("us" > "eu"), so us's PAUSE wins.
    assertThat(results).allSatisfy(s -> assertThat(s.status()).isEqualTo(ExperimentStatus.PAUSED));
  }

  @Test
  void concurrentChangesResolveFieldByFieldToTheLastWriter() {
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.ExperimentChanged(
                    ExperimentEntityTest.changes("{\"name\": \"eu-name\", \"coverage\": 4000}"),
                    null,
                    in("eu", 20)),
                new ExperimentEntity.ExperimentChanged(
                    ExperimentEntityTest.changes("{\"name\": \"us-name\"}"), null, in("us", 30))));
    assertThat(results)
        .allSatisfy(
            s -> {
              assertThat(s.experiment().name()).isEqualTo("us-name");
              assertThat(s.experiment().coverage()).isEqualTo(4000);
            });
    assertThat(results)
        .extracting(ExperimentState::experiment)
        .containsOnly(results.get(0).experiment());
  }

  /** The event written today: each writer's revised experiment, of which only its fields count. */
  private static ExperimentEntity.Event revised(String changes, Origin origin) {
    var base = ExperimentEntity.apply(ExperimentState.EMPTY, CREATED).experiment();
    var patch = ExperimentEntityTest.patch(changes);
    return new ExperimentEntity.ExperimentRevised(
        List.copyOf(patch.fields()), patch.applyTo(base), null, origin);
  }

  @Test
  void concurrentTypedChangesResolveFieldByFieldToTheLastWriterAsV1ChangesDo() {
    var results =
        allOrders(
            List.of(
                revised("{\"name\": \"eu-name\", \"coverage\": 4000}", in("eu", 20)),
                revised("{\"name\": \"us-name\"}", in("us", 30))));
    assertThat(results)
        .allSatisfy(
            s -> {
              assertThat(s.experiment().name()).isEqualTo("us-name");
              assertThat(s.experiment().coverage()).isEqualTo(4000);
            });
    assertThat(results)
        .extracting(ExperimentState::experiment)
        .containsOnly(results.get(0).experiment());
  }

  @Test
  void concurrentNewPhasesAgreeOnOneSalt() {
    var eu = new Phase(2, "salt-eu", T0.plusMillis(20));
    var us = new Phase(2, "salt-us", T0.plusMillis(25));
    var results =
        allOrders(
            List.of(
                new ExperimentEntity.ExperimentChanged(
                    ExperimentEntityTest.changes("{\"salt\": \"salt-eu\", \"phase\": 2}"),
                    eu,
                    in("eu", 20)),
                new ExperimentEntity.ExperimentChanged(
                    ExperimentEntityTest.changes("{\"salt\": \"salt-us\", \"phase\": 2}"),
                    us,
                    in("us", 25))));
    assertThat(results)
        .allSatisfy(
            s -> {
              assertThat(s.experiment().salt()).isEqualTo("salt-us");
              assertThat(s.phaseList())
                  .extracting(Phase::salt)
                  .containsExactly("salt-1", "salt-us");
            });
  }

  @Test
  void aTerminalStatusNeverGoesBack() {
    assertThat(
            ConflictRules.statusWins(
                ExperimentStatus.RUNNING,
                new Stamp(100, "us"),
                ExperimentStatus.CONCLUDED,
                new Stamp(1, "eu")))
        .isFalse();
    assertThat(
            ConflictRules.statusWins(
                ExperimentStatus.KILLED,
                new Stamp(1, "eu"),
                ExperimentStatus.CONCLUDED,
                new Stamp(100, "us")))
        .isTrue();
  }
}
