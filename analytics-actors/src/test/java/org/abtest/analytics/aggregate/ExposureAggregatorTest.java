package org.abtest.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExposureAggregatorTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));
  private final UnitHasher hasher = new UnitHasher("test-key");

  private EventSourcedBehaviorTestKit<
          ExposureAggregator.Command, ExposureAggregator.Event, ExposureAggregator.State>
      kit;

  @BeforeEach
  void fresh() {
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), ExposureAggregator.create("exp"));
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private void expose(String unit, String variant) {
    kit.<org.apache.pekko.Done>runCommand(
        r -> new ExposureAggregator.RecordExposure(hasher.hash(unit), variant, r));
  }

  @Test
  void eachUnitCountsOnceInTheVariantOfItsFirstExposure() {
    expose("u1", "control");
    expose("u2", "green");
    expose("u1", "control");
    expose("u1", "green");
    var counts = kit.<ExposureAggregator.Counts>runCommand(ExposureAggregator.GetCounts::new);
    assertThat(counts.reply().unitsPerVariant()).isEqualTo(Map.of("control", 1L, "green", 1L));
  }

  @Test
  void repeatedExposuresPersistNothing() {
    expose("u1", "control");
    var again =
        kit.<org.apache.pekko.Done>runCommand(
            r -> new ExposureAggregator.RecordExposure(hasher.hash("u1"), "control", r));
    assertThat(again.hasNoEvents()).isTrue();
  }

  @Test
  void countsSurviveARestart() {
    expose("u1", "control");
    expose("u2", "control");
    kit.restart();
    var counts = kit.<ExposureAggregator.Counts>runCommand(ExposureAggregator.GetCounts::new);
    assertThat(counts.reply().unitsPerVariant()).isEqualTo(Map.of("control", 2L));
  }

  @Test
  void rawUnitIdsNeverReachState() {
    expose("alice@example.com", "control");
    assertThat(kit.getState().units()).doesNotContain((long) "alice@example.com".hashCode());
    assertThat(hasher.hash("alice@example.com"))
        .isNotEqualTo(new UnitHasher("other").hash("alice@example.com"));
  }
}
