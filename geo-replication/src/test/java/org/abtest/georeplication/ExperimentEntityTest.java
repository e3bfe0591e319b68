package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.RampHalt;
import org.abtest.protocol.experiment.Variant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExperimentEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Author ALICE = new Author("tok-1", "alice");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  private final Map<String, ExperimentState> published = new ConcurrentHashMap<>();
  private EventSourcedBehaviorTestKit<
          ExperimentEntity.Command, ExperimentEntity.Event, ExperimentState>
      kit;

  @BeforeEach
  void freshEntity() {
    kit =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            ExperimentEntity.create(
                "checkout",
                "eu",
                Set.of("eu"),
                PersistenceTestKitReadJournal.Identifier(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                published::put));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static Experiment draft() {
    return Experiment.draft(
        "checkout",
        "Green button",
        10_000,
        List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)));
  }

  private ExperimentEntity.Reply create() {
    return kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Create(draft(), ALICE, r))
        .reply();
  }

  private ExperimentEntity.Reply transition(Lifecycle action) {
    return kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Transition(action, ALICE, r))
        .reply();
  }

  private static Experiment accepted(ExperimentEntity.Reply reply) {
    assertThat(reply).isInstanceOf(ExperimentEntity.Accepted.class);
    return ((ExperimentEntity.Accepted) reply).experiment();
  }

  private static ExperimentEntity.Rejection rejection(ExperimentEntity.Reply reply) {
    assertThat(reply).isInstanceOf(ExperimentEntity.Rejected.class);
    return ((ExperimentEntity.Rejected) reply).reason();
  }

  /** Brings the entity into {@code status} through the API's own transitions. */
  private void reach(ExperimentStatus status) {
    create();
    switch (status) {
      case DRAFT -> {}
      case RUNNING -> transition(Lifecycle.START);
      case PAUSED -> {
        transition(Lifecycle.START);
        transition(Lifecycle.PAUSE);
      }
      case CONCLUDED -> {
        transition(Lifecycle.START);
        transition(Lifecycle.CONCLUDE);
      }
      case KILLED -> {
        transition(Lifecycle.START);
        transition(Lifecycle.KILL);
      }
      case DELETED -> transition(Lifecycle.DELETE);
    }
    assertThat(kit.getState().status()).isEqualTo(status);
  }

  @Test
  void aGuardrailsHaltRollsTheRampBackAndANewPlanResumesIt() {
    reach(ExperimentStatus.RUNNING);
    long v = kit.getState().experiment().version();
    accepted(
        kit.<ExperimentEntity.Reply>runCommand(
                r ->
                    new ExperimentEntity.Patch(
                        patch(
                            "{\"coverage\": 1000, \"rampPlan\": {\"rollback\": true, \"steps\":"
                                + " [{\"coverage\": 100, \"minutes\": 10}, {\"coverage\": 1000,"
                                + " \"minutes\": 10}, {\"coverage\": 10000, \"minutes\": 0}]}}"),
                        v,
                        false,
                        ALICE,
                        r))
            .reply());
    Experiment ramping = kit.getState().experiment();
    var halt =
        RampHalt.of(ramping, Guardrail.Action.ALERT, "guardrail on errors violated").orElseThrow();
    Experiment halted =
        accepted(
            kit.<ExperimentEntity.Reply>runCommand(
                    r -> new ExperimentEntity.Patch(halt, ramping.version(), false, ALICE, r))
                .reply());
    assertThat(halted.rampHalted()).isEqualTo("guardrail on errors violated");
    assertThat(halted.coverage()).as("rolled back to the first step").isEqualTo(100);
    assertThat(halted.phase()).as("a narrower coverage is no new phase").isEqualTo(ramping.phase());
    Experiment resumed =
        accepted(
            kit.<ExperimentEntity.Reply>runCommand(
                    r ->
                        new ExperimentEntity.Patch(
                            patch(
                                "{\"rampPlan\": {\"steps\": [{\"coverage\": 100, \"minutes\": 60},"
                                    + " {\"coverage\": 10000, \"minutes\": 0}]}}"),
                            halted.version(),
                            false,
                            ALICE,
                            r))
                .reply());
    assertThat(resumed.rampHalted()).isNull();
  }

  @Test
  void createPersistsADraftWithASaltVersionOneAndItsAuthor() {
    var result =
        kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), ALICE, r));
    Experiment created = accepted(result.reply());
    assertThat(created.status()).isEqualTo(ExperimentStatus.DRAFT);
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.salt()).hasSize(16);
    assertThat(created.createdAt()).isEqualTo(NOW);
    var event = (ExperimentEntity.ExperimentCreated) result.event();
    assertThat(event.origin()).isEqualTo(new Origin("tok-1", "alice", "eu", NOW));
    assertThat((Object) Json.mapper().valueToTree(published.get("checkout").experiment()))
        .isEqualTo((Object) Json.mapper().valueToTree(created));
  }

  @Test
  void everyCommandOnAnUnknownExperimentIsNotFoundWithoutEvents() {
    var get = kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Get::new);
    assertThat(rejection(get.reply())).isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
    var patch =
        kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Patch(patch("{\"name\": \"x\"}"), 1, false, ALICE, r));
    assertThat(rejection(patch.reply())).isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
    for (Lifecycle action : Lifecycle.values()) {
      var result =
          kit.<ExperimentEntity.Reply>runCommand(
              r -> new ExperimentEntity.Transition(action, ALICE, r));
      assertThat(rejection(result.reply())).isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
      assertThat(result.hasNoEvents()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(ExperimentStatus.class)
  void everyTransitionInEveryStatusFollowsTheLifecycle(ExperimentStatus status) {
    for (Lifecycle action : Lifecycle.values()) {
      kit.clear();
      reach(status);
      Experiment before = kit.getState().experiment();
      var result =
          kit.<ExperimentEntity.Reply>runCommand(
              r -> new ExperimentEntity.Transition(action, ALICE, r));
      if (status == ExperimentStatus.DELETED) {
        var rejected = (ExperimentEntity.Rejected) result.reply();
        assertThat(rejected.reason()).isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
        assertThat(rejected.message()).contains("was deleted");
        assertThat(result.hasNoEvents()).isTrue();
      } else if (action.allowedOn(before)) {
        assertThat(accepted(result.reply()).status()).isEqualTo(action.target());
        var event = (ExperimentEntity.StatusChanged) result.event();
        assertThat(event.action()).isEqualTo(action);
        // Stamped after every earlier write, even with a clock that stands still.
        assertThat(event.origin().at()).isAfter(NOW);
      } else {
        var rejected = (ExperimentEntity.Rejected) result.reply();
        assertThat(rejected.reason()).isEqualTo(ExperimentEntity.Rejection.INVALID_TRANSITION);
        assertThat(rejected.message()).contains(status.name());
        assertThat(result.hasNoEvents()).isTrue();
      }
    }
  }

  private ExperimentEntity.Reply ship(Lifecycle action, String variant) {
    return kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Transition(action, variant, ALICE, r))
        .reply();
  }

  @Test
  void aConcludeThatShipsAVariantKeepsItUntilAKillTakesItBack() {
    reach(ExperimentStatus.RUNNING);
    var concluded =
        kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Transition(Lifecycle.CONCLUDE, "green", ALICE, r));
    Experiment e = accepted(concluded.reply());
    assertThat(e.status()).isEqualTo(ExperimentStatus.CONCLUDED);
    assertThat(e.shipped()).isEqualTo("green");
    assertThat(e.shippedVariant()).map(Variant::key).contains("green");
    assertThat(((ExperimentEntity.StatusChanged) concluded.event()).ship()).isEqualTo("green");
    assertThat(published.get("checkout").experiment().shipped()).isEqualTo("green");

    Experiment killed = accepted(transition(Lifecycle.KILL));
    assertThat(killed.status()).isEqualTo(ExperimentStatus.KILLED);
    assertThat(killed.shipped()).isNull();
    assertThat(killed.shippedVariant()).isEmpty();
  }

  @Test
  void aConcludeWithoutShipShipsNothingAndCannotBeKilled() {
    reach(ExperimentStatus.RUNNING);
    assertThat(accepted(transition(Lifecycle.CONCLUDE)).shipped()).isNull();
    var kill = (ExperimentEntity.Rejected) transition(Lifecycle.KILL);
    assertThat(kill.reason()).isEqualTo(ExperimentEntity.Rejection.INVALID_TRANSITION);
    assertThat(kill.message()).contains("ships no variant");
  }

  @Test
  void shippingAVariantTheExperimentLacksIsRefusedNamingShip() {
    reach(ExperimentStatus.RUNNING);
    var refused = (ExperimentEntity.Rejected) ship(Lifecycle.CONCLUDE, "blue");
    assertThat(refused.reason()).isEqualTo(ExperimentEntity.Rejection.INVALID);
    assertThat(refused.field()).isEqualTo("ship");
    assertThat(refused.message()).contains("blue").contains("control, green");
    assertThat(kit.getState().status()).isEqualTo(ExperimentStatus.RUNNING);
  }

  @Test
  void onlyAConcludeShipsAVariant() {
    reach(ExperimentStatus.RUNNING);
    var refused = (ExperimentEntity.Rejected) ship(Lifecycle.PAUSE, "green");
    assertThat(refused.reason()).isEqualTo(ExperimentEntity.Rejection.INVALID);
    assertThat(refused.field()).isEqualTo("ship");
    assertThat(kit.getState().status()).isEqualTo(ExperimentStatus.RUNNING);
  }

  @Test
  void aShippedConcludeSurvivesRecovery() {
    reach(ExperimentStatus.RUNNING);
    ship(Lifecycle.CONCLUDE, "green");
    var restarted = kit.restart();
    assertThat(restarted.state().experiment().shipped()).isEqualTo("green");
  }

  @ParameterizedTest
  @EnumSource(ExperimentStatus.class)
  void createAndGetInEveryStatus(ExperimentStatus status) {
    reach(status);
    var again =
        kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), ALICE, r));
    assertThat(rejection(again.reply())).isEqualTo(ExperimentEntity.Rejection.ALREADY_EXISTS);
    var get = kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Get::new);
    if (status == ExperimentStatus.DELETED) {
      // gone for the API, and its key is not taken again
      assertThat(rejection(get.reply())).isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
      assertThat(((ExperimentEntity.Rejected) again.reply()).message()).contains("not reused");
    } else {
      assertThat(accepted(get.reply()).status()).isEqualTo(status);
    }
  }

  @ParameterizedTest
  @EnumSource(ExperimentStatus.class)
  void onlyAConcludedOrKilledExperimentIsArchivedOnceAndUnarchivedAgain(ExperimentStatus status) {
    reach(status);
    var result =
        kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Archive(ALICE, r));
    if (status == ExperimentStatus.CONCLUDED || status == ExperimentStatus.KILLED) {
      Experiment archived = accepted(result.reply());
      assertThat(archived.archived()).isTrue();
      assertThat(archived.status()).isEqualTo(status);
      var event = (ExperimentEntity.ExperimentRevised) result.event();
      assertThat(event.fields()).containsExactly(ExperimentField.ARCHIVED);
      var again =
          kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Archive(ALICE, r));
      assertThat(accepted(again.reply()).version()).isEqualTo(archived.version());
      assertThat(again.hasNoEvents()).isTrue();
      var unarchived =
          kit.<ExperimentEntity.Reply>runCommand(
              r -> new ExperimentEntity.Archive(false, ALICE, r));
      assertThat(accepted(unarchived.reply()).archived()).isFalse();
      assertThat(accepted(unarchived.reply()).status()).isEqualTo(status);
      assertThat(((ExperimentEntity.ExperimentRevised) unarchived.event()).fields())
          .containsExactly(ExperimentField.ARCHIVED);
      var unchanged =
          kit.<ExperimentEntity.Reply>runCommand(
              r -> new ExperimentEntity.Archive(false, ALICE, r));
      assertThat(unchanged.hasNoEvents()).isTrue();
    } else {
      assertThat(rejection(result.reply()))
          .isEqualTo(
              status == ExperimentStatus.DELETED
                  ? ExperimentEntity.Rejection.NOT_FOUND
                  : ExperimentEntity.Rejection.INVALID_TRANSITION);
      assertThat(result.hasNoEvents()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(ExperimentStatus.class)
  void patchInEveryStatusChangesOnlyUnfinishedExperiments(ExperimentStatus status) {
    reach(status);
    long version = kit.getState().experiment().version();
    var result =
        kit.<ExperimentEntity.Reply>runCommand(
            r ->
                new ExperimentEntity.Patch(
                    patch("{\"name\": \"Renamed\"}"), version, false, ALICE, r));
    if (status == ExperimentStatus.DELETED) {
      assertThat(rejection(result.reply())).isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
    } else if (status == ExperimentStatus.CONCLUDED || status == ExperimentStatus.KILLED) {
      assertThat(rejection(result.reply()))
          .isEqualTo(ExperimentEntity.Rejection.INVALID_TRANSITION);
    } else {
      Experiment patched = accepted(result.reply());
      assertThat(patched.name()).isEqualTo("Renamed");
      assertThat(patched.version()).isEqualTo(version + 1);
    }
  }

  @Test
  void aStaleVersionIsRejected() {
    create();
    var result =
        kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Patch(patch("{\"name\": \"x\"}"), 7, false, ALICE, r));
    var rejected = (ExperimentEntity.Rejected) result.reply();
    assertThat(rejected.reason()).isEqualTo(ExperimentEntity.Rejection.STALE_VERSION);
    assertThat(rejected.message()).contains("at 1");
  }

  @Test
  void overridesMustNameAVariant() {
    create();
    var result =
        kit.<ExperimentEntity.Reply>runCommand(
            r ->
                new ExperimentEntity.Patch(
                    patch("{\"overrides\": {\"qa-1\": \"blue\"}}"), 1, false, ALICE, r));
    var rejected = (ExperimentEntity.Rejected) result.reply();
    assertThat(rejected.reason()).isEqualTo(ExperimentEntity.Rejection.INVALID);
    assertThat(rejected.field()).isEqualTo("overrides.qa-1");
  }

  private static final String REWEIGHT =
      "{\"variants\": [{\"key\": \"control\", \"weight\": 2000}, {\"key\": \"green\", \"weight\": 8000}]}";

  @Test
  void aWeightChangeOfARunningExperimentStartsANewPhaseWithANewSalt() {
    reach(ExperimentStatus.RUNNING);
    String firstSalt = kit.getState().experiment().salt();
    long version = kit.getState().experiment().version();
    var result =
        kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Patch(patch(REWEIGHT), version, false, ALICE, r));
    var accepted = (ExperimentEntity.Accepted) result.reply();
    assertThat(accepted.experiment().phase()).isEqualTo(2);
    assertThat(accepted.experiment().salt()).isNotEqualTo(firstSalt);
    assertThat(accepted.phases()).hasSize(2);
    assertThat(accepted.phases().get(0).salt()).isEqualTo(firstSalt);
    assertThat(accepted.phases().get(1).salt()).isEqualTo(accepted.experiment().salt());
  }

  @Test
  void aStickyWeightChangeOrOneOnADraftKeepsThePhase() {
    create();
    var draftChange =
        kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Patch(patch(REWEIGHT), 1, false, ALICE, r));
    assertThat(accepted(draftChange.reply()).phase()).isEqualTo(1);
    transition(Lifecycle.START);
    String salt = kit.getState().experiment().salt();
    long version = kit.getState().experiment().version();
    var sticky =
        kit.<ExperimentEntity.Reply>runCommand(
            r ->
                new ExperimentEntity.Patch(
                    patch(REWEIGHT.replace("2000", "3000").replace("8000", "7000")),
                    version,
                    true,
                    ALICE,
                    r));
    assertThat(accepted(sticky.reply()).salt()).isEqualTo(salt);
    assertThat(accepted(sticky.reply()).variants().get(0).weight()).isEqualTo(3000);
  }

  @Test
  void restartRecoversTheSameExperimentAndPhases() {
    reach(ExperimentStatus.RUNNING);
    long version = kit.getState().experiment().version();
    kit.<ExperimentEntity.Reply>runCommand(
        r -> new ExperimentEntity.Patch(patch(REWEIGHT), version, false, ALICE, r));
    transition(Lifecycle.KILL);
    ExperimentState before = kit.getState();
    kit.restart();
    assertThat(kit.getState().experiment()).isEqualTo(before.experiment());
    assertThat(kit.getState().phaseList()).isEqualTo(before.phaseList());
    assertThat(kit.getState().status()).isEqualTo(ExperimentStatus.KILLED);
  }

  static ExperimentPatch patch(String json) {
    return ExperimentPatch.fromJson(changes(json));
  }

  static ObjectNode changes(String json) {
    try {
      return (ObjectNode) Json.mapper().readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
