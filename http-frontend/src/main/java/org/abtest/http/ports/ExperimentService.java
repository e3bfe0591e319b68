package org.abtest.http.ports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Phase;
import org.abtest.protocol.experiment.SlotRange;

/**
 * The admin side of experiments, layers and the global holdout (API.md, Experiments). Stages fail
 * with {@link org.abtest.http.ApiError}.
 */
public interface ExperimentService {

  /** Who asks for a change: recorded in the audit trail. */
  record Actor(String id, String name) {}

  /** An experiment with every phase it has had. */
  record Described(Experiment experiment, List<Phase> phases) {}

  enum Action {
    START,
    PAUSE,
    RESUME,
    CONCLUDE,
    KILL
  }

  /**
   * One change from the journal: what ({@code event}, the {@code changed} fields or the {@code
   * action}), who, when and in which region.
   */
  record HistoryEntry(
      long sequenceNr,
      String event,
      Instant at,
      String region,
      String actorId,
      String actorName,
      List<String> changed,
      String action) {}

  record Usage(String experiment, SlotRange range) {}

  record LayerView(
      String key, String salt, Instant createdAt, List<Usage> used, List<SlotRange> free) {}

  record HoldoutView(String layer, String salt, SlotRange range) {}

  /** How large a definition may be; create and PATCH refuse more with 400. */
  DefinitionLimits limits();

  CompletionStage<Described> create(Experiment draft, Actor actor);

  CompletionStage<Experiment> get(String key);

  CompletionStage<Described> describe(String key);

  /** Every experiment, or those in {@code status} when it is not null. */
  CompletionStage<List<Experiment>> list(ExperimentStatus status);

  /** Changes the given fields (the experiment's JSON form) if the version is still current. */
  CompletionStage<Described> patch(
      String key, long expectedVersion, ObjectNode changes, boolean sticky, Actor actor);

  CompletionStage<Described> transition(String key, Action action, Actor actor);

  CompletionStage<List<HistoryEntry>> history(String key);

  CompletionStage<LayerView> createLayer(String key, Actor actor);

  CompletionStage<LayerView> layer(String key);

  CompletionStage<HoldoutView> holdout();

  CompletionStage<HoldoutView> setHoldout(SlotRange range, Actor actor);
}
