package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A journal written by an earlier version of the code still loads: the fixture holds the events of
 * an experiment's whole life and of a layer (created, patched with targeting, metrics and
 * overrides, started, re-randomized into phase 2, paused, resumed, killed; a range allocated and
 * released) exactly as the journal stores them, with the state they folded into when written. A
 * change to a persisted event or to the state's rules that breaks old journals fails here.
 *
 * <p>The fixture was written on 2026-12-02 (commit after fa0345a) by running this class with {@code
 * -Dabtest.write-journal-fixture=<path of the resource>}; never rewrite it to make a change pass:
 * add a v2 fixture beside it instead.
 */
class JournalFixtureTest {

  private static final Instant NOW = Instant.parse("2026-12-02T07:00:00Z");
  private static final Author ALICE = new Author("tok-1", "alice");
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ConfigFactory.parseString("pekko.actor.serialize-messages = on")
              .withFallback(EventSourcedBehaviorTestKit.config()));

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aJournalWrittenByTheFirstVersionLoadsIntoTheSameExperimentAndLayer() {
    JsonNode fixture = JournalFixtures.read(JournalFixtures.EXPERIMENT_JOURNAL);
    ExperimentState experiment = ExperimentState.EMPTY;
    LayerState layer = LayerState.empty("checkout-layer");
    int events = 0;
    for (JournalFixtures.Stored stored : JournalFixtures.events(fixture)) {
      Object event = JournalFixtures.load(testKit.system(), stored);
      if (event instanceof ExperimentEntity.Event e) {
        experiment = ExperimentEntity.apply(experiment, e);
      } else {
        layer = LayerEntity.apply(layer, (LayerEntity.Event) event);
      }
      events++;
    }
    assertThat(events).isEqualTo(fixture.path("events").size()).isEqualTo(10);
    assertContains(Json.mapper().valueToTree(experiment.experiment()), fixture.at("/experiment"));
    assertThat(experiment.status().name()).isEqualTo(fixture.path("status").asText());
    assertContains(Json.mapper().valueToTree(experiment.phaseList()), fixture.at("/phases"));
    assertContains(Json.mapper().valueToTree(layer), fixture.at("/layer"));
  }

  /**
   * Writes the fixture when {@code -Dabtest.write-journal-fixture} names a file; otherwise skipped.
   * Only for adding a new fixture version, never to change an existing one.
   */
  @Test
  void writeTheFixtureWhenAsked() throws Exception {
    String target = System.getProperty("abtest.write-journal-fixture");
    assumeTrue(target != null && !target.isBlank(), "writes the fixture only when asked");
    List<JournalFixtures.Stored> stored = new ArrayList<>();
    var kit =
        EventSourcedBehaviorTestKit
            .<ExperimentEntity.Command, ExperimentEntity.Event, ExperimentState>create(
                testKit.system(),
                ExperimentEntity.create(
                    "checkout",
                    "eu",
                    Set.of("eu"),
                    PersistenceTestKitReadJournal.Identifier(),
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    (key, state) -> {}));
    Experiment draft =
        Experiment.draft(
            "checkout",
            "Green button",
            10_000,
            List.of(
                new Variant("control", 5000, Json.mapper().readTree("{\"color\": \"blue\"}")),
                new Variant("green", 5000, Json.mapper().readTree("{\"color\": \"green\"}"))));
    List<ExperimentEntity.Event> events = new ArrayList<>();
    events.add(
        kit.<ExperimentEntity.Reply>runCommand(r -> new ExperimentEntity.Create(draft, ALICE, r))
            .event());
    events.add(
        kit.<ExperimentEntity.Reply>runCommand(
                r ->
                    new ExperimentEntity.Patch(
                        patch(
                            """
                            {"name": "Green button, EU",
                             "targeting": {"country": {"$in": ["DE", "FR"]}},
                             "metrics": [{"key": "purchase", "event": "purchase", "kind": "mean"},
                                         {"key": "signup", "steps": ["visit", "signup"]}],
                             "overrides": {"qa-user": "green"}}
                            """),
                        1,
                        false,
                        ALICE,
                        r))
            .event());
    events.add(transition(kit, Lifecycle.START));
    events.add(
        kit.<ExperimentEntity.Reply>runCommand(
                r ->
                    new ExperimentEntity.Patch(
                        patch(
                            """
                            {"variants": [{"key": "control", "weight": 2000},
                                          {"key": "green", "weight": 8000}]}
                            """),
                        kit.getState().experiment().version(),
                        false,
                        ALICE,
                        r))
            .event());
    events.add(transition(kit, Lifecycle.PAUSE));
    events.add(transition(kit, Lifecycle.RESUME));
    events.add(transition(kit, Lifecycle.KILL));
    for (ExperimentEntity.Event e : events) {
      stored.add(JournalFixtures.store(testKit.system(), "experiment|checkout", e));
    }
    List<LayerEntity.Event> layerEvents =
        List.of(
            new LayerEntity.LayerCreated("5f0c1d2e3a4b5c6d", NOW),
            new LayerEntity.RangeAllocated("checkout", new SlotRange(0, 2500)),
            new LayerEntity.RangeReleased("checkout"));
    LayerState layer = LayerState.empty("checkout-layer");
    for (LayerEntity.Event e : layerEvents) {
      stored.add(JournalFixtures.store(testKit.system(), "layer|checkout-layer", e));
      layer = LayerEntity.apply(layer, e);
    }
    ObjectNode root = JournalFixtures.toJson(stored);
    ExperimentState state = kit.getState();
    root.put("writtenOn", "2026-12-02");
    root.set("experiment", Json.mapper().valueToTree(state.experiment()));
    root.put("status", state.status().name());
    root.set("phases", Json.mapper().valueToTree(state.phaseList()));
    root.set("layer", Json.mapper().valueToTree(layer));
    Files.writeString(
        Path.of(target), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
  }

  private static ExperimentEntity.Event transition(
      EventSourcedBehaviorTestKit<ExperimentEntity.Command, ExperimentEntity.Event, ExperimentState>
          kit,
      Lifecycle action) {
    return kit.<ExperimentEntity.Reply>runCommand(
            r -> new ExperimentEntity.Transition(action, ALICE, r))
        .event();
  }

  private static ExperimentPatch patch(String json) {
    return ExperimentEntityTest.patch(json);
  }

  private static ObjectNode changes(String json) {
    return ExperimentEntityTest.changes(json);
  }

  /**
   * Every field of {@code expected} is in {@code actual} with the same value; {@code actual} may
   * have more (fields added later, with their defaults).
   */
  private static void assertContains(JsonNode actual, JsonNode expected) {
    assertContains(actual, expected, "$");
  }

  private static void assertContains(JsonNode actual, JsonNode expected, String path) {
    if (expected.isObject()) {
      assertThat(actual.isObject()).as(path + " is an object").isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        assertContains(actual.path(field.getKey()), field.getValue(), path + "." + field.getKey());
      }
    } else if (expected.isArray()) {
      assertThat(actual.size()).as(path + " length").isEqualTo(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertContains(actual.get(i), expected.get(i), path + "[" + i + "]");
      }
    } else if (expected.isNumber()) {
      assertThat(actual.isNumber()).as(path + " is a number").isTrue();
      assertThat(actual.decimalValue()).as(path).isEqualByComparingTo(expected.decimalValue());
    } else {
      assertThat(actual).as(path).isEqualTo(expected);
    }
  }
}
