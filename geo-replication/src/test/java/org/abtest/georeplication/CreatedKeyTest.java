package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.georeplication.ManifestPublisher.KeyStatus;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A create acknowledged by the publisher is known to its key index at once, before the entity's own
 * update (which comes through the entity node's singleton proxy) or the journal deliver the key.
 */
class CreatedKeyTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<ManifestPublisher.Command> publisher() {
    var settings =
        new ManifestPublisher.Settings(
            "eu",
            "eu",
            Duration.ofMillis(10),
            Duration.ofSeconds(1),
            new SlotReleases.Retry(Duration.ofMillis(200), Duration.ofSeconds(1)),
            PersistenceTestKitReadJournal.Identifier());
    ManifestStore empty =
        new ManifestStore() {
          @Override
          public CompletionStage<Optional<Manifest>> load(String region) {
            return CompletableFuture.completedFuture(Optional.empty());
          }

          @Override
          public CompletionStage<Void> save(String region, Manifest manifest) {
            return CompletableFuture.completedFuture(null);
          }
        };
    ManifestPublisher.ScheduleRunner idle =
        new ManifestPublisher.ScheduleRunner() {
          @Override
          public void run(ExperimentScheduler.Due due) {}

          @Override
          public void release(ExperimentScheduler.Release release) {}

          @Override
          public void advance(ExperimentScheduler.Advance advance) {}
        };
    return testKit.spawn(
        ManifestPublisher.create(
            settings,
            empty,
            idle,
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC)));
  }

  @Test
  void aKeyAcknowledgedAsCreatedIsKnownBeforeItsEntityOrTheJournalReportIt() {
    ActorRef<ManifestPublisher.Command> publisher = publisher();
    TestProbe<KeyStatus> probe = testKit.createTestProbe();
    // the index is complete (an empty journal, nothing stored): an unknown key certainly is not
    probe.awaitAssert(
        () -> {
          publisher.tell(new ManifestPublisher.Lookup("fresh", probe.getRef()));
          assertThat(probe.receiveMessage().complete()).isTrue();
          return null;
        });
    publisher.tell(new ManifestPublisher.Lookup("fresh", probe.getRef()));
    assertThat(probe.receiveMessage().mayExist()).isFalse();

    publisher.tell(new ManifestPublisher.Created("fresh", probe.getRef()));
    assertThat(probe.receiveMessage().known()).isTrue();
    publisher.tell(new ManifestPublisher.Lookup("fresh", probe.getRef()));
    assertThat(probe.receiveMessage().mayExist()).isTrue();
    publisher.tell(new ManifestPublisher.Lookup("made-up", probe.getRef()));
    assertThat(probe.receiveMessage().mayExist()).isFalse();
  }
}
