package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.SlotRange;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Layers have one writer, the home region; other regions read what it wrote. */
class LayerHomeRegionTest {

  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), java.time.ZoneOffset.UTC);

  private final Map<String, LayerState> published = new ConcurrentHashMap<>();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private LayerEntity.Reply ask(
      String region,
      java.util.function.Function<
              org.apache.pekko.actor.typed.ActorRef<LayerEntity.Reply>, LayerEntity.Command>
          command) {
    var entity =
        testKit.spawn(LayerEntity.create("search", region, "region-a", CLOCK, published::put));
    TestProbe<LayerEntity.Reply> probe = testKit.createTestProbe();
    entity.tell(command.apply(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  @Test
  void anotherRegionCannotWriteALayerAndIsToldWhichRegionCan() {
    var reply = ask("region-b", r -> new LayerEntity.Create(new Author("t", "alice"), r));
    assertThat(reply).isInstanceOf(LayerEntity.Rejected.class);
    var rejected = (LayerEntity.Rejected) reply;
    assertThat(rejected.reason()).isEqualTo(LayerEntity.Rejection.NOT_HOME);
    assertThat(rejected.message()).contains("region-a");
    assertThat(ask("region-b", r -> new LayerEntity.Allocate("exp", new SlotRange(0, 10), true, r)))
        .isInstanceOf(LayerEntity.Rejected.class);
  }

  @Test
  void anotherRegionReadsWhatTheHomeRegionWrote() {
    assertThat(ask("region-a", r -> new LayerEntity.Create(new Author("t", "alice"), r)))
        .isInstanceOf(LayerEntity.Accepted.class);
    assertThat(
            ask("region-a", r -> new LayerEntity.Allocate("exp", new SlotRange(0, 10), false, r)))
        .isInstanceOf(LayerEntity.Accepted.class);
    var read = ask("region-b", LayerEntity.Get::new);
    assertThat(read).isInstanceOf(LayerEntity.Accepted.class);
    assertThat(((LayerEntity.Accepted) read).layer().exists()).isTrue();
  }
}
