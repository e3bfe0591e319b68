package org.abtest.georeplication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.EventsByTagQuery;

/**
 * The region's manifest projection, once per cluster (a singleton). It folds experiment and layer
 * events from the journal's tag stream, takes entity states straight from the entities after each
 * local write (the fast path: a kill does not wait for the stream's poll), and publishes every new
 * version on the {@code manifest} topic that every node's evaluator subscribes to.
 *
 * <p>On start it first publishes the manifest stored for the region, then rebuilds from the journal
 * and publishes again only once the rebuild has reached the stored version, so a restart never
 * offers an older or partial manifest.
 *
 * <p>Its parts: the projection and the queries on it are here; {@link ManifestWriter} (a child)
 * stores each new version; {@link ScheduleDispatch} carries out due schedules and layer releases
 * once a second; {@link ManifestTags} is the journal stream it follows.
 */
public final class ManifestPublisher {

  public static final String TOPIC = "manifest";

  public sealed interface Command extends CborSerializable {}

  /** Asks for the current manifest to be published again (an evaluator that just started). */
  public enum Resend implements Command {
    INSTANCE
  }

  public record ExperimentUpdated(String key, ExperimentState state) implements Command {}

  public record LayerUpdated(String key, LayerState state) implements Command {}

  /** Every experiment the region knows, as of the newest events seen. */
  public record ListExperiments(ActorRef<ExperimentList> replyTo) implements Command {}

  public record ExperimentList(List<Experiment> experiments) implements CborSerializable {}

  /** The layer ranges that ended experiments still hold, as this region sees them. */
  public record ListPendingReleases(ActorRef<PendingReleases> replyTo) implements Command {}

  /**
   * @param home whether this region writes layers (sends the releases) or waits for the one that
   *     does
   */
  public record PendingReleases(boolean home, List<PendingRelease> releases)
      implements CborSerializable {}

  public record PendingRelease(String layer, String owner, Instant since, int attempts)
      implements CborSerializable {}

  /** Whether the region knows an experiment key, asked before a read would start its entity. */
  public record Lookup(String key, ActorRef<KeyStatus> replyTo) implements Command {}

  /**
   * A key whose create its entity has just accepted: known from now on, answered once recorded. The
   * entity's own update travels through the singleton proxy on the entity's node, after the reply
   * to the create; without this, the caller's next request (a start right after the 201) could be
   * looked up first and answered 404.
   */
  public record Created(String key, ActorRef<KeyStatus> replyTo) implements Command {}

  /**
   * @param known the region has seen an event of this key
   * @param complete the publisher has replayed the journal up to its stored manifest, so a key it
   *     does not know was never created (until then, every key may exist)
   */
  public record KeyStatus(boolean known, boolean complete) implements CborSerializable {

    /** False only when the key certainly does not exist: then a 404 needs no entity. */
    public boolean mayExist() {
      return known || !complete;
    }
  }

  /**
   * From the journal stream to the actor itself, never across nodes: the event stays the object the
   * journal gave (an {@code Object} field would not survive a serialization round trip).
   */
  private record Applied(String persistenceId, long sequenceNr, Object event)
      implements Command, NoSerializationVerificationNeeded {}

  private record Loaded(Optional<Manifest> stored)
      implements Command, NoSerializationVerificationNeeded {}

  private enum PublishTick implements Command {
    INSTANCE
  }

  private enum ScheduleTick implements Command {
    INSTANCE
  }

  /** How due start/stop schedules are carried out; the node asks the sharded entities. */
  public interface ScheduleRunner {
    void run(ExperimentScheduler.Due due);

    /** Gives an ended experiment's range back to its layer (in the layers' home region only). */
    void release(ExperimentScheduler.Release release);

    /** Widens a ramping experiment's coverage to its next step. */
    void advance(ExperimentScheduler.Advance advance);
  }

  /**
   * @param layerHome the region whose journal holds the layers (they have one writer); this
   *     region's own when it is the home
   */
  public record Settings(
      String region,
      String layerHome,
      Duration publishDelay,
      Duration scheduleInterval,
      SlotReleases.Retry releaseRetry,
      String readJournalId) {}

  /** How long after a failed store write it is tried again. */
  static final Duration SAVE_RETRY = Duration.ofSeconds(1);

  /** The topic the manifests are published on; spawn one per node and subscribe to it. */
  public static Behavior<Topic.Command<Manifest>> topic() {
    return Topic.create(Manifest.class, TOPIC);
  }

  public static Behavior<Command> create(
      Settings settings, ManifestStore store, ScheduleRunner runner, Clock clock) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new ManifestPublisher(ctx, timers, settings, store, runner, clock).run()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final ManifestStore store;
  private final Clock clock;
  private final ActorRef<Topic.Command<Manifest>> topic;
  private final ActorRef<ManifestWriter.Command> writer;
  private final ScheduleDispatch schedules;
  private final ManifestState state = new ManifestState();
  // keys acknowledged by Created that the state has not seen an event of yet (a few at most)
  private final Set<String> created = new HashSet<>();
  private boolean loaded;
  private long floor;
  private Manifest last;

  private ManifestPublisher(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Settings settings,
      ManifestStore store,
      ScheduleRunner runner,
      Clock clock) {
    this.ctx = ctx;
    this.timers = timers;
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.topic = ctx.spawn(topic(), "manifest-topic");
    this.writer =
        ctx.spawn(ManifestWriter.create(settings.region(), store, SAVE_RETRY), "manifest-writer");
    this.schedules = new ScheduleDispatch(settings, runner, ctx.getLog());
  }

  private Behavior<Command> run() {
    ctx.pipeToSelf(
        store.load(settings.region()),
        (stored, failure) -> {
          if (failure != null) {
            ctx.getLog().warn("no stored manifest could be read; rebuilding from 0", failure);
          }
          return new Loaded(failure == null ? stored : Optional.empty());
        });
    followJournal();
    timers.startTimerWithFixedDelay(ScheduleTick.INSTANCE, settings.scheduleInterval());
    return Behaviors.receive(Command.class)
        .onMessage(Loaded.class, this::onLoaded)
        .onMessage(Applied.class, this::onApplied)
        .onMessage(ExperimentUpdated.class, this::onExperimentUpdated)
        .onMessage(LayerUpdated.class, this::onLayerUpdated)
        .onMessage(ListExperiments.class, this::onList)
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(Created.class, this::onCreated)
        .onMessage(ListPendingReleases.class, this::onListPendingReleases)
        .onMessageEquals(PublishTick.INSTANCE, this::publishIfNewer)
        .onMessageEquals(Resend.INSTANCE, this::onResend)
        .onMessageEquals(ScheduleTick.INSTANCE, this::onScheduleTick)
        .build();
  }

  private void followJournal() {
    EventsByTagQuery journal =
        PersistenceQuery.get(ctx.getSystem())
            .getReadJournalFor(EventsByTagQuery.class, settings.readJournalId());
    ActorRef<Command> self = ctx.getSelf();
    ManifestTags.follow(journal, settings.region())
        .map(env -> new Applied(env.persistenceId(), env.sequenceNr(), env.event()))
        .runForeach(self::tell, ctx.getSystem());
    if (!settings.layerHome().equals(settings.region())) {
      // Layer events are tagged in their home region only; follow them there.
      ManifestTags.follow(journal, settings.layerHome())
          .filter(env -> env.event() instanceof LayerEntity.Event)
          .map(env -> new Applied(env.persistenceId(), env.sequenceNr(), env.event()))
          .runForeach(self::tell, ctx.getSystem());
    }
  }

  private Behavior<Command> onLoaded(Loaded message) {
    loaded = true;
    message
        .stored()
        .ifPresent(
            stored -> {
              floor = stored.version();
              if (last == null || last.version() < stored.version()) {
                last = stored;
                topic.tell(Topic.publish(stored));
              }
            });
    return publishIfNewer();
  }

  private Behavior<Command> onApplied(Applied applied) {
    state.applyJournalEvent(applied.persistenceId(), applied.sequenceNr(), applied.event());
    // Coalesce bursts (a rebuild replays every event) into one publication.
    if (!timers.isTimerActive(PublishTick.INSTANCE)) {
      timers.startSingleTimer(PublishTick.INSTANCE, settings.publishDelay());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onExperimentUpdated(ExperimentUpdated updated) {
    if (!state.offerExperiment(updated.key(), updated.state())) {
      return Behaviors.same();
    }
    if (Lifecycle.terminal(updated.state().status())) {
      // An end seen here first (a local conclude or kill, or one replicated from another region)
      // frees its range at once instead of at the next tick.
      sweepReleases();
    }
    return publishIfNewer();
  }

  private Behavior<Command> onLayerUpdated(LayerUpdated updated) {
    return state.offerLayer(updated.key(), updated.state()) ? publishIfNewer() : Behaviors.same();
  }

  private Behavior<Command> onList(ListExperiments list) {
    list.replyTo().tell(new ExperimentList(state.experiments()));
    return Behaviors.same();
  }

  private Behavior<Command> onLookup(Lookup lookup) {
    lookup.replyTo().tell(keyStatus(lookup.key()));
    return Behaviors.same();
  }

  private Behavior<Command> onCreated(Created created) {
    if (!state.knows(created.key())) {
      this.created.add(created.key());
    }
    created.replyTo().tell(keyStatus(created.key()));
    return Behaviors.same();
  }

  private KeyStatus keyStatus(String key) {
    boolean complete = caughtUp();
    return new KeyStatus(state.knows(key) || created.contains(key), complete);
  }

  private Behavior<Command> publishIfNewer() {
    // once an event of the key is in, the state knows it by itself
    created.removeIf(state::knows);
    long version = state.version();
    if (!loaded || version < floor || (last != null && version <= last.version())) {
      return Behaviors.same();
    }
    Manifest previous = last;
    last = state.toManifest();
    last.degraded()
        .forEach(
            (key, reason) -> {
              if (previous == null || !reason.equals(previous.degraded().get(key))) {
                ctx.getLog()
                    .error("experiment '{}' left out of the manifest (degraded): {}", key, reason);
              }
            });
    topic.tell(Topic.publish(last));
    writer.tell(new ManifestWriter.Save(last));
    return Behaviors.same();
  }

  private Behavior<Command> onResend() {
    if (last != null) {
      topic.tell(Topic.publish(last));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onScheduleTick() {
    if (caughtUp()) {
      schedules.tick(state.experiments(), state.states(), state.layers(), clock.instant());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onListPendingReleases(ListPendingReleases list) {
    list.replyTo().tell(schedules.pending());
    return Behaviors.same();
  }

  /** Frees what ended experiments still hold, once the state has caught up with the journal. */
  private void sweepReleases() {
    if (caughtUp()) {
      schedules.releases(state.experiments(), state.layers(), clock.instant());
    }
  }

  /** The state has replayed the journal up to the stored manifest: no older view is acted on. */
  private boolean caughtUp() {
    return loaded && state.version() >= floor;
  }
}
