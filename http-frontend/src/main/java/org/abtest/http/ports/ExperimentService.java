package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Phase;
import org.abtest.protocol.experiment.SlotRange;

/**
 * The admin side of experiments, layers and the global holdout (API.md, Experiments). Stages fail
 * with a {@link PortFailure}; every change names its {@link Author} for the audit trail.
 */
public interface ExperimentService {

  /** An experiment with every phase it has had. */
  record Described(Experiment experiment, List<Phase> phases) {}

  /**
   * One change from the journal: what ({@code event}, the {@code changed} fields or the {@code
   * action}, and in {@code changes} each field's value before and after), who, when and in which
   * region.
   */
  record HistoryEntry(
      long sequenceNr,
      String event,
      Instant at,
      String region,
      String actorId,
      String actorName,
      List<String> changed,
      String action,
      List<FieldChange> changes,
      String reason) {

    public HistoryEntry {
      changes = changes == null ? List.of() : List.copyOf(changes);
    }
  }

  /**
   * One field's value before a change ({@code from}, null when it had none) and the value the
   * change wrote ({@code to}, null when it cleared it), both in the experiment's JSON form.
   */
  record FieldChange(String field, JsonNode from, JsonNode to) {}

  record Usage(String experiment, SlotRange range) {}

  record LayerView(
      String key, String salt, Instant createdAt, List<Usage> used, List<SlotRange> free) {}

  record HoldoutView(String layer, String salt, SlotRange range) {}

  /** How large a definition may be; the routes refuse more on create and PATCH. */
  DefinitionLimits limits();

  CompletionStage<Described> create(Experiment draft, Author author);

  CompletionStage<Experiment> get(String key);

  CompletionStage<Described> describe(String key);

  /**
   * The archived experiments, or every other one (deleted drafts never), of {@code status} when it
   * is not null.
   */
  CompletionStage<List<Experiment>> list(ExperimentStatus status, boolean archived);

  /** The experiments not archived, of {@code status} when it is not null. */
  default CompletionStage<List<Experiment>> list(ExperimentStatus status) {
    return list(status, false);
  }

  /** Changes the given fields (the experiment's JSON form) if the version is still current. */
  CompletionStage<Described> patch(
      String key, long expectedVersion, ExperimentPatch changes, boolean sticky, Author author);

  default CompletionStage<Described> transition(String key, Lifecycle action, Author author) {
    return transition(key, action, author, null);
  }

  /**
   * As {@link #transition(String, Lifecycle, Author)}, with why, for the audit trail ({@code
   * reason} null: none given; the system gives one, such as a violated guardrail).
   */
  CompletionStage<Described> transition(String key, Lifecycle action, Author author, String reason);

  /**
   * Concludes the experiment; with {@code ship} (a variant key, or null for none) that variant
   * keeps being served to everyone the experiment targets, as a flag, until a kill.
   */
  CompletionStage<Described> conclude(String key, String ship, Author author);

  /**
   * Hides a concluded or killed experiment from the default list, or ({@code archived} false) lists
   * it again; done again: unchanged.
   */
  CompletionStage<Described> archive(String key, boolean archived, Author author);

  CompletionStage<List<HistoryEntry>> history(String key);

  CompletionStage<LayerView> createLayer(String key, Author author);

  CompletionStage<LayerView> layer(String key);

  CompletionStage<HoldoutView> holdout();

  CompletionStage<HoldoutView> setHoldout(SlotRange range, Author author);

  /**
   * Removes the global holdout: its units get every experiment again. Done when no holdout is set,
   * also when none was.
   */
  CompletionStage<Void> removeHoldout(Author author);
}
