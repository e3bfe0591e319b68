package org.abtest.http;

import com.typesafe.config.ConfigFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.PortFailure;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.abtest.protocol.experiment.DefinitionRules;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Phase;
import org.abtest.protocol.experiment.SlotRange;

/**
 * The experiment port in memory, with the aggregate's answers (404, 409 duplicate, stale version,
 * invalid transition) so that the routes' mapping of each to a status code is under test.
 */
final class FakeExperiments implements ExperimentService {

  final Map<String, Experiment> experiments = new ConcurrentHashMap<>();
  final Map<String, List<HistoryEntry>> history = new ConcurrentHashMap<>();
  final Map<String, LayerView> layers = new ConcurrentHashMap<>();
  volatile HoldoutView holdout;

  /** The configured defaults (protocol's reference.conf), as the node reads them. */
  volatile DefinitionLimits limits =
      DefinitionLimits.read(
          name -> ConfigFactory.load().getInt(DefinitionLimits.CONFIG_PATH + "." + name));

  @Override
  public DefinitionLimits limits() {
    return limits;
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  private static <T> CompletionStage<T> fail(PortFailure error) {
    return CompletableFuture.failedFuture(error);
  }

  private static Described described(Experiment e) {
    return new Described(e, List.of(new Phase(1, e.salt(), e.createdAt())));
  }

  private void record(String key, String event, Author author, String action) {
    history
        .computeIfAbsent(key, k -> new ArrayList<>())
        .add(
            new HistoryEntry(
                history.get(key).size() + 1,
                event,
                Instant.EPOCH,
                "local",
                author.id(),
                author.name(),
                List.of(),
                action,
                List.of(),
                null));
  }

  @Override
  public CompletionStage<Described> create(Experiment draft, Author author) {
    if (draft.layer() != null && !layers.containsKey(draft.layer())) {
      return fail(PortFailure.invalid("unknown_layer", "no such layer", "layer"));
    }
    if (experiments.putIfAbsent(draft.key(), draft.asCreated("salt", Instant.EPOCH)) != null) {
      return fail(PortFailure.conflict("duplicate_key", "exists"));
    }
    record(draft.key(), "ExperimentCreated", author, null);
    return done(described(experiments.get(draft.key())));
  }

  @Override
  public CompletionStage<Experiment> get(String key) {
    Experiment e = experiments.get(key);
    return e == null || e.status() == ExperimentStatus.DELETED
        ? fail(PortFailure.notFound("no experiment " + key))
        : done(e);
  }

  @Override
  public CompletionStage<Described> describe(String key) {
    return get(key).thenApply(FakeExperiments::described);
  }

  @Override
  public CompletionStage<List<Experiment>> list(ExperimentStatus status, boolean archived) {
    return done(
        experiments.values().stream()
            .filter(e -> e.status() != ExperimentStatus.DELETED && e.archived() == archived)
            .filter(e -> status == null || e.status() == status)
            .toList());
  }

  @Override
  public CompletionStage<Described> archive(String key, boolean archive, Author author) {
    return get(key)
        .thenApply(
            e -> {
              if (!Lifecycle.archivable(e.status())) {
                throw PortFailure.conflict(
                    "invalid_transition", "cannot archive an experiment that is " + e.status());
              }
              Experiment archived = e.with(Map.of(ExperimentField.ARCHIVED, archive));
              experiments.put(key, archived);
              record(key, "ExperimentChanged", author, null);
              return described(archived);
            });
  }

  @Override
  public CompletionStage<Described> patch(
      String key, long expectedVersion, ExperimentPatch changes, boolean sticky, Author author) {
    return get(key)
        .thenApply(
            e -> {
              if (e.version() != expectedVersion) {
                throw PortFailure.conflict("stale_version", "the experiment is at " + e.version());
              }
              Experiment changed =
                  changes.applyTo(e).with(Map.of(ExperimentField.VERSION, e.version() + 1));
              DefinitionRules.check(changed)
                  .ifPresent(
                      v -> {
                        throw PortFailure.invalid(v.code(), v.message(), v.field());
                      });
              experiments.put(key, changed);
              record(key, "ExperimentChanged", author, null);
              return described(changed);
            });
  }

  @Override
  public CompletionStage<Described> transition(
      String key, Lifecycle action, Author author, String reason) {
    return move(key, action, null, author);
  }

  @Override
  public CompletionStage<Described> conclude(String key, String ship, Author author) {
    return move(key, Lifecycle.CONCLUDE, ship, author);
  }

  private CompletionStage<Described> move(
      String key, Lifecycle action, String ship, Author author) {
    return get(key)
        .thenApply(
            e -> {
              ExperimentStatus to = action.target();
              if (!action.allowedOn(e)) {
                throw PortFailure.conflict(
                    "invalid_transition",
                    "cannot " + action + " an experiment that is " + e.status());
              }
              if (ship != null && e.variants().stream().noneMatch(v -> v.key().equals(ship))) {
                throw PortFailure.invalid("invalid_value", "ship names no variant", "ship");
              }
              Experiment moved =
                  e.withStatus(to, Instant.EPOCH)
                      .with(
                          Collections.singletonMap(
                              ExperimentField.SHIPPED,
                              to == ExperimentStatus.CONCLUDED ? ship : null));
              experiments.put(key, moved);
              record(key, "StatusChanged", author, action.name());
              return described(moved);
            });
  }

  @Override
  public CompletionStage<List<HistoryEntry>> history(String key) {
    List<HistoryEntry> entries = history.get(key);
    return entries == null ? fail(PortFailure.notFound("no experiment " + key)) : done(entries);
  }

  @Override
  public CompletionStage<LayerView> createLayer(String key, Author author) {
    LayerView view =
        new LayerView(
            key, "layer-salt", Instant.EPOCH, List.of(), List.of(new SlotRange(0, 10_000)));
    return layers.putIfAbsent(key, view) != null
        ? fail(PortFailure.conflict("duplicate_key", "layer exists"))
        : done(view);
  }

  @Override
  public CompletionStage<LayerView> layer(String key) {
    LayerView view = layers.get(key);
    return view == null ? fail(PortFailure.notFound("no layer " + key)) : done(view);
  }

  @Override
  public CompletionStage<HoldoutView> holdout() {
    return holdout == null ? fail(PortFailure.notFound("no holdout")) : done(holdout);
  }

  @Override
  public CompletionStage<Void> removeHoldout(Author author) {
    holdout = null;
    return done(null);
  }

  @Override
  public CompletionStage<HoldoutView> setHoldout(SlotRange range, Author author) {
    holdout = new HoldoutView("global", "global-salt", range);
    return done(holdout);
  }
}
