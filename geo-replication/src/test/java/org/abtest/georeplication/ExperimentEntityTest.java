package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Variant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExperimentEntityTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  private EventSourcedBehaviorTestKit<
          ExperimentEntity.Command, ExperimentEntity.Event, ExperimentEntity.State>
      kit;

  @BeforeEach
  void freshEntity() {
    kit =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            ExperimentEntity.create("checkout", Clock.fixed(NOW, ZoneOffset.UTC)));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static Experiment draft() {
    return Experiment.draft(
        "checkout",
        "Green button",
        10_000,
        List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)));
  }

  @Test
  void createPersistsADraftWithASaltAndVersionOne() {
    var result =
        kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), r));
    Experiment created = ((ExperimentEntity.Accepted) result.reply()).experiment();
    assertThat(created.status()).isEqualTo(ExperimentStatus.DRAFT);
    assertThat(created.version()).isEqualTo(1);
    assertThat(created.salt()).hasSize(16);
    assertThat(created.createdAt()).isEqualTo(NOW);
    assertThat(result.event()).isInstanceOf(ExperimentEntity.ExperimentCreated.class);
  }

  @Test
  void secondCreateWithTheSameKeyIsRejectedWithoutAnEvent() {
    kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), r));
    var result =
        kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), r));
    assertThat(result.hasNoEvents()).isTrue();
    assertThat(((ExperimentEntity.Rejected) result.reply()).reason())
        .isEqualTo(ExperimentEntity.Rejection.ALREADY_EXISTS);
  }

  @Test
  void getAndStartOfAnUnknownExperimentAreNotFound() {
    var get = kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Get::new);
    var start = kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Start::new);
    assertThat(((ExperimentEntity.Rejected) get.reply()).reason())
        .isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
    assertThat(((ExperimentEntity.Rejected) start.reply()).reason())
        .isEqualTo(ExperimentEntity.Rejection.NOT_FOUND);
  }

  @Test
  void startMovesADraftToRunningAndCannotBeRepeated() {
    kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), r));
    var started = kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Start::new);
    Experiment running = ((ExperimentEntity.Accepted) started.reply()).experiment();
    assertThat(running.status()).isEqualTo(ExperimentStatus.RUNNING);
    assertThat(running.version()).isEqualTo(2);
    var again = kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Start::new);
    assertThat(((ExperimentEntity.Rejected) again.reply()).reason())
        .isEqualTo(ExperimentEntity.Rejection.INVALID_TRANSITION);
  }

  @Test
  void restartRecoversTheSameExperiment() {
    kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft(), r));
    kit.<ExperimentEntity.Reply>runCommand(ExperimentEntity.Start::new);
    Experiment before = kit.getState().experiment();
    kit.restart();
    assertThat(kit.getState().experiment()).isEqualTo(before);
  }
}
