package org.abtest.node.experiments;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.abtest.georeplication.ExperimentEntity;
import org.abtest.georeplication.LayerEntity;
import org.abtest.georeplication.LayerState;
import org.abtest.georeplication.ManifestPublisher;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.PortFailure;
import org.abtest.node.webhooks.Announcement;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.DefinitionLimits;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.SlotRange;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The admin API's experiment, layer and holdout operations as asks to the sharded entities; lists
 * come from the region's manifest projection, history from the journal ({@link JournalHistory}).
 */
public final class ShardedExperimentService implements ExperimentService {

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final ActorRef<ManifestPublisher.Command> publisher;
  private final JournalHistory journal;
  private final Duration timeout;
  private final DefinitionLimits limits;
  private volatile Consumer<Announcement> announcements = a -> {};

  public ShardedExperimentService(
      ActorSystem<?> system,
      ActorRef<ManifestPublisher.Command> publisher,
      JournalHistory journal,
      Duration timeout) {
    this.system = system;
    var config = system.settings().config();
    this.limits =
        DefinitionLimits.read(name -> config.getInt(DefinitionLimits.CONFIG_PATH + "." + name));
    this.sharding = ClusterSharding.get(system);
    this.publisher = publisher;
    this.journal = journal;
    this.timeout = timeout;
  }

  /**
   * A create in a layer first takes the slots from the layer's single writer, so two experiments
   * can never hold overlapping ranges; a refused range leaves no experiment behind.
   */
  @Override
  public CompletionStage<Described> create(Experiment draft, Author author) {
    if (draft.layer() == null) {
      return createEntity(draft, author);
    }
    return askExperiment(draft.key(), ExperimentEntity.Get::new)
        .handle((existing, failure) -> failure == null)
        .thenCompose(
            exists -> {
              if (exists) {
                throw PortFailure.conflict(
                    "duplicate_key", "an experiment with key '" + draft.key() + "' already exists");
              }
              return askLayer(
                  draft.layer(),
                  r -> new LayerEntity.Allocate(draft.key(), draft.layerSlots(), false, r),
                  "layer");
            })
        .thenCompose(layer -> createEntity(draft, author));
  }

  /**
   * The 201 waits until the region's key index has the new key, so that the caller's next request
   * (a start, from any node) is not answered 404 by {@link #ifKnown}. The create is already stored:
   * if the publisher does not answer in time, it is answered all the same.
   */
  private CompletionStage<Described> createEntity(Experiment draft, Author author) {
    return askExperiment(draft.key(), r -> new ExperimentEntity.Create(draft, author, r))
        .thenCompose(
            created ->
                AskPattern.<ManifestPublisher.Command, ManifestPublisher.KeyStatus>ask(
                        publisher,
                        r -> new ManifestPublisher.Created(draft.key(), r),
                        timeout,
                        system.scheduler())
                    .handle((indexed, failure) -> created));
  }

  @Override
  public DefinitionLimits limits() {
    return limits;
  }

  @Override
  public CompletionStage<Experiment> get(String key) {
    return describe(key).thenApply(Described::experiment);
  }

  @Override
  public CompletionStage<Described> describe(String key) {
    return ifKnown(key, () -> askExperiment(key, ExperimentEntity.Get::new));
  }

  /**
   * Runs {@code then} only if the key may exist: a read, change or transition of a key the region
   * has never seen is not found in the publisher's index, without starting (and recovering from the
   * journal) an entity per made-up key. While the publisher is still replaying the journal every
   * key may exist, and the entity answers.
   */
  private <T> CompletionStage<T> ifKnown(String key, Supplier<CompletionStage<T>> then) {
    return AskPattern.<ManifestPublisher.Command, ManifestPublisher.KeyStatus>ask(
            publisher, r -> new ManifestPublisher.Lookup(key, r), timeout, system.scheduler())
        .thenCompose(
            status -> {
              if (!status.mayExist()) {
                throw PortFailure.notFound("no experiment with key '" + key + "'");
              }
              return then.get();
            });
  }

  @Override
  public CompletionStage<List<Experiment>> list(ExperimentStatus status, boolean archived) {
    return AskPattern.<ManifestPublisher.Command, ManifestPublisher.ExperimentList>ask(
            publisher, ManifestPublisher.ListExperiments::new, timeout, system.scheduler())
        .thenApply(
            list ->
                list.experiments().stream()
                    .filter(e -> e.status() != ExperimentStatus.DELETED)
                    .filter(e -> e.archived() == archived)
                    .filter(e -> status == null || e.status() == status)
                    .toList());
  }

  /** Where every lifecycle change made through this service is announced (the webhooks). */
  public void announceTo(Consumer<Announcement> listener) {
    this.announcements = listener;
  }

  /** The change announced once made; a refused one is not. */
  private CompletionStage<Described> announced(
      CompletionStage<Described> change, String key, String action, Author author, String reason) {
    return change.whenComplete(
        (done, failure) -> {
          if (failure == null) {
            announcements.accept(
                new Announcement(
                    UUID.randomUUID().toString(),
                    "lifecycle",
                    key,
                    action,
                    done.experiment().status().name(),
                    reason,
                    author.id() + "/" + author.name(),
                    Instant.now()));
          }
        });
  }

  @Override
  public CompletionStage<Described> archive(String key, boolean archived, Author author) {
    return announced(
        ifKnown(
            key, () -> askExperiment(key, r -> new ExperimentEntity.Archive(archived, author, r))),
        key,
        archived ? "archive" : "unarchive",
        author,
        null);
  }

  @Override
  public CompletionStage<Described> patch(
      String key, long expectedVersion, ExperimentPatch changes, boolean sticky, Author author) {
    return ifKnown(
        key,
        () ->
            askExperiment(
                key, r -> new ExperimentEntity.Patch(changes, expectedVersion, sticky, author, r)));
  }

  @Override
  public CompletionStage<Described> transition(
      String key, Lifecycle action, Author author, String reason) {
    // A conclude or kill frees the experiment's layer slots through the region's manifest
    // publisher, in the layers' home region, whichever region it was made in (SlotReleaser).
    return announced(
        ifKnown(
            key,
            () ->
                askExperiment(
                    key, r -> new ExperimentEntity.Transition(action, null, reason, author, r))),
        key,
        action.name().toLowerCase(Locale.ROOT),
        author,
        reason);
  }

  @Override
  public CompletionStage<Described> conclude(String key, String ship, Author author) {
    return announced(
        ifKnown(
            key,
            () ->
                askExperiment(
                    key,
                    r ->
                        new ExperimentEntity.Transition(
                            Lifecycle.CONCLUDE, ship, null, author, r))),
        key,
        "conclude",
        author,
        ship == null ? null : "ships " + ship);
  }

  @Override
  public CompletionStage<List<HistoryEntry>> history(String key) {
    return ifKnown(key, () -> journal.history(key));
  }

  @Override
  public CompletionStage<LayerView> createLayer(String key, Author author) {
    return askLayer(key, r -> new LayerEntity.Create(author, r), null)
        .thenApply(ShardedExperimentService::view);
  }

  @Override
  public CompletionStage<LayerView> layer(String key) {
    return askLayer(key, LayerEntity.Get::new, null).thenApply(ShardedExperimentService::view);
  }

  @Override
  public CompletionStage<HoldoutView> holdout() {
    return askLayer(LayerEntity.GLOBAL, LayerEntity.Get::new, null)
        .thenApply(ShardedExperimentService::holdoutOf);
  }

  @Override
  public CompletionStage<HoldoutView> setHoldout(SlotRange range, Author author) {
    return askLayer(
            LayerEntity.GLOBAL,
            r -> new LayerEntity.Allocate(LayerState.HOLDOUT_OWNER, range, true, r),
            "range")
        .thenApply(ShardedExperimentService::holdoutOf);
  }

  @Override
  public CompletionStage<Void> removeHoldout(Author author) {
    return sharding
        .entityRefFor(LayerEntity.ENTITY_TYPE_KEY, LayerEntity.GLOBAL)
        .ask(
            (ActorRef<LayerEntity.Reply> r) -> new LayerEntity.Release(LayerState.HOLDOUT_OWNER, r),
            timeout)
        .thenApply(
            reply -> {
              // no global layer yet: there is no holdout to remove, which is what was asked
              if (reply instanceof LayerEntity.Rejected rejected
                  && rejected.reason() != LayerEntity.Rejection.NOT_FOUND) {
                throw layerFailure(rejected, null);
              }
              return null;
            });
  }

  private static HoldoutView holdoutOf(LayerState global) {
    SlotRange range = global.allocations().get(LayerState.HOLDOUT_OWNER);
    if (range == null) {
      throw PortFailure.notFound("no global holdout is set");
    }
    return new HoldoutView(global.key(), global.salt(), range);
  }

  private static LayerView view(LayerState layer) {
    List<Usage> used =
        layer.allocations().entrySet().stream()
            .map(e -> new Usage(e.getKey(), e.getValue()))
            .sorted(Comparator.comparingInt(u -> u.range().start()))
            .toList();
    return new LayerView(layer.key(), layer.salt(), layer.createdAt(), used, layer.freeRanges());
  }

  private CompletionStage<Described> askExperiment(
      String key, Function<ActorRef<ExperimentEntity.Reply>, ExperimentEntity.Command> command) {
    return sharding
        .entityRefFor(ExperimentEntity.ENTITY_TYPE_KEY, key)
        .ask(command::apply, timeout)
        .thenApply(ShardedExperimentService::unwrap);
  }

  /**
   * @param missingField when set, a missing layer is invalid input on that field, not a not-found
   */
  private CompletionStage<LayerState> askLayer(
      String key,
      Function<ActorRef<LayerEntity.Reply>, LayerEntity.Command> command,
      String missingField) {
    return sharding
        .entityRefFor(LayerEntity.ENTITY_TYPE_KEY, key)
        .ask(command::apply, timeout)
        .thenApply(
            reply -> {
              if (reply instanceof LayerEntity.Accepted accepted) {
                return accepted.layer();
              }
              throw layerFailure((LayerEntity.Rejected) reply, missingField);
            });
  }

  private static PortFailure layerFailure(LayerEntity.Rejected rejected, String missingField) {
    return switch (rejected.reason()) {
      case NOT_FOUND ->
          missingField != null
              ? PortFailure.invalid("unknown_layer", rejected.message(), missingField)
              : PortFailure.notFound(rejected.message());
      case ALREADY_EXISTS -> PortFailure.conflict("duplicate_key", rejected.message());
      case OVERLAP -> PortFailure.conflict("overlapping_slots", rejected.message());
      case NOT_HOME -> PortFailure.conflict("layer_home_region", rejected.message());
    };
  }

  private static Described unwrap(ExperimentEntity.Reply reply) {
    if (reply instanceof ExperimentEntity.Accepted accepted) {
      return new Described(accepted.experiment(), accepted.phases());
    }
    var rejected = (ExperimentEntity.Rejected) reply;
    throw switch (rejected.reason()) {
      case NOT_FOUND -> PortFailure.notFound(rejected.message());
      case ALREADY_EXISTS -> PortFailure.conflict("duplicate_key", rejected.message());
      case INVALID_TRANSITION -> PortFailure.conflict("invalid_transition", rejected.message());
      case STALE_VERSION -> PortFailure.conflict("stale_version", rejected.message());
      case INVALID ->
          PortFailure.invalid(
              rejected.code() != null
                  ? rejected.code()
                  : "invalid_" + (rejected.field() == null ? "definition" : "value"),
              rejected.message(),
              rejected.field());
    };
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
