package org.abtest.node.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.georeplication.Origin;
import org.abtest.http.ports.ExperimentService.FieldChange;
import org.abtest.http.ports.ExperimentService.HistoryEntry;
import org.abtest.node.experiments.JournalHistory.Numbered;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

class JournalHistoryTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static Origin by(String actor, int minute) {
    return new Origin(actor, actor + " name", "eu", T0.plusSeconds(60L * minute));
  }

  private static final Experiment CREATED =
      Experiment.draft(
              "checkout",
              "Checkout",
              10000,
              List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)))
          .asCreated("salt1", T0);

  @Test
  void eachChangeShowsTheValueItReplacedAndTheValueItWrote() {
    Experiment revised =
        CREATED.with(Map.of(ExperimentField.COVERAGE, 6000, ExperimentField.NAME, "Green"));
    Experiment cleared = revised.with(Map.of(ExperimentField.COVERAGE, 3000));
    List<HistoryEntry> history =
        JournalHistory.fold(
            List.of(
                new Numbered(1, new ExperimentEntity.ExperimentCreated(CREATED, by("alice", 0))),
                new Numbered(
                    2,
                    new ExperimentEntity.ExperimentRevised(
                        List.of(ExperimentField.NAME, ExperimentField.COVERAGE),
                        revised,
                        null,
                        by("bob", 1))),
                new Numbered(3, new ExperimentEntity.StatusChanged(Lifecycle.START, by("bob", 2))),
                new Numbered(
                    4,
                    new ExperimentEntity.ExperimentRevised(
                        List.of(ExperimentField.COVERAGE), cleared, null, by("carol", 3))),
                new Numbered(
                    5, new ExperimentEntity.StatusChanged(Lifecycle.KILL, by("carol", 4)))));

    assertThat(history).extracting(HistoryEntry::sequenceNr).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(history.get(0).changes())
        .filteredOn(c -> c.field().equals("coverage"))
        .containsExactly(new FieldChange("coverage", null, Json.mapper().valueToTree(10000)));
    assertThat(history.get(1).changed()).containsExactly("name", "coverage");
    assertThat(history.get(1).changes())
        .containsExactly(
            new FieldChange(
                "name", Json.mapper().valueToTree("Checkout"), Json.mapper().valueToTree("Green")),
            new FieldChange(
                "coverage", Json.mapper().valueToTree(10000), Json.mapper().valueToTree(6000)));
    assertThat(history.get(2).changes())
        .containsExactly(
            new FieldChange(
                "status",
                Json.mapper().valueToTree("DRAFT"),
                Json.mapper().valueToTree("RUNNING")));
    assertThat(history.get(3).changes())
        .containsExactly(
            new FieldChange(
                "coverage", Json.mapper().valueToTree(6000), Json.mapper().valueToTree(3000)));
    assertThat(history.get(3).actorId()).isEqualTo("carol");
    assertThat(history.get(4).action()).isEqualTo("kill");
    assertThat(history.get(4).changes().get(0).from().asText()).isEqualTo("RUNNING");
    assertThat(history.get(4).changes().get(0).to().asText()).isEqualTo("KILLED");
  }

  @Test
  void aClearedFieldGoesToNull() {
    Experiment described =
        CREATED.with(Map.of(ExperimentField.DESCRIPTION, "why we test the button"));
    Experiment cleared =
        described.with(java.util.Collections.singletonMap(ExperimentField.DESCRIPTION, null));
    List<HistoryEntry> history =
        JournalHistory.fold(
            List.of(
                new Numbered(1, new ExperimentEntity.ExperimentCreated(described, by("a", 0))),
                new Numbered(
                    2,
                    new ExperimentEntity.ExperimentRevised(
                        List.of(ExperimentField.DESCRIPTION), cleared, null, by("a", 1)))));

    FieldChange change = history.get(1).changes().get(0);
    assertThat(change.from().asText()).isEqualTo("why we test the button");
    assertThat(change.to()).isNull();
  }

  @Test
  void aShippingConcludeShowsTheShippedVariantAndAKillShowsItTakenBack() {
    List<HistoryEntry> history =
        JournalHistory.fold(
            List.of(
                new Numbered(1, new ExperimentEntity.ExperimentCreated(CREATED, by("alice", 0))),
                new Numbered(2, new ExperimentEntity.StatusChanged(Lifecycle.START, by("bob", 1))),
                new Numbered(
                    3,
                    new ExperimentEntity.StatusChanged(
                        Lifecycle.CONCLUDE, by("carol", 2), "green")),
                new Numbered(
                    4, new ExperimentEntity.StatusChanged(Lifecycle.KILL, by("carol", 3)))));
    BiFunction<String, String, FieldChange> status =
        (from, to) ->
            new FieldChange(
                "status", Json.mapper().valueToTree(from), Json.mapper().valueToTree(to));
    assertThat(history.get(1).changes()).containsExactly(status.apply("DRAFT", "RUNNING"));
    assertThat(history.get(2).changes())
        .containsExactly(
            status.apply("RUNNING", "CONCLUDED"),
            new FieldChange("shipped", null, Json.mapper().valueToTree("green")));
    assertThat(history.get(3).changes())
        .containsExactly(
            status.apply("CONCLUDED", "KILLED"),
            new FieldChange("shipped", Json.mapper().valueToTree("green"), null));
  }
}
