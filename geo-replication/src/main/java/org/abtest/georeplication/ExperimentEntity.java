package org.abtest.georeplication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.BuiltInMetrics;
import org.abtest.protocol.experiment.DefinitionRules;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.Phase;
import org.abtest.protocol.experiment.Variant;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.ReplicaId;
import org.apache.pekko.persistence.typed.ReplicationId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplicatedEventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.ReplicatedEventSourcing;
import org.apache.pekko.persistence.typed.javadsl.ReplicationContext;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One experiment's definition and lifecycle as a replicated event-sourced entity: one replica per
 * region, each accepting writes, all converging through {@link ConflictRules}. Every event carries
 * its {@link Origin}, so the journal is the audit trail, and is tagged for the region's manifest.
 *
 * <p>After a local write the entity hands its new state to the manifest publisher directly (the
 * fast path), so a kill reaches evaluators without waiting for the tag stream to poll.
 */
public final class ExperimentEntity
    extends ReplicatedEventSourcedBehavior<
        ExperimentEntity.Command, ExperimentEntity.Event, ExperimentState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Experiment");

  /**
   * A change's {@link Author} is its {@code actor}: that field's name on the wire between nodes.
   */
  public sealed interface Command extends CborSerializable {}

  public record Create(Experiment draft, Author actor, ActorRef<Reply> replyTo)
      implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** Changes definition fields if the version matches. */
  public record Patch(
      ExperimentPatch changes,
      long expectedVersion,
      boolean sticky,
      Author actor,
      ActorRef<Reply> replyTo)
      implements Command {}

  /**
   * {@code ship}: the variant a conclude keeps serving to everyone it targets, or null; {@code
   * reason}: why, for the audit trail (the system's actions give one), or null.
   */
  public record Transition(
      Lifecycle action, String ship, String reason, Author actor, ActorRef<Reply> replyTo)
      implements Command {
    public Transition(Lifecycle action, Author actor, ActorRef<Reply> replyTo) {
      this(action, null, null, actor, replyTo);
    }

    public Transition(Lifecycle action, String ship, Author actor, ActorRef<Reply> replyTo) {
      this(action, ship, null, actor, replyTo);
    }
  }

  /**
   * Hides a concluded or killed experiment from the default list ({@code archived} true), or shows
   * it again (false); the journal keeps it all.
   */
  public record Archive(boolean archived, Author actor, ActorRef<Reply> replyTo)
      implements Command {
    public Archive(Author actor, ActorRef<Reply> replyTo) {
      this(true, actor, replyTo);
    }
  }

  /**
   * Starts this region's replica if it is not running, so that it reads the other regions' new
   * events (a replica only replicates while it runs). Sent by {@link ReplicationWaker}; no reply.
   */
  public enum Wake implements Command {
    INSTANCE
  }

  public sealed interface Event extends CborSerializable {
    Origin origin();
  }

  public record ExperimentCreated(Experiment experiment, Origin origin) implements Event {}

  /**
   * Fields changed: {@code revised} is the experiment as its writer saw it after the change, and
   * only {@code fields} are taken from it, each resolved on its own ({@link ConflictRules}); {@code
   * newPhase} when a weight change re-randomized (its salt and phase are among the fields).
   */
  public record ExperimentRevised(
      List<ExperimentField> fields, Experiment revised, Phase newPhase, Origin origin)
      implements Event {
    public ExperimentRevised {
      fields = fields.stream().distinct().sorted().toList();
    }
  }

  /**
   * The change event of journals written before {@link ExperimentRevised} (journal v1): the changed
   * fields as the experiment's JSON. Still read, never written: {@link #apply} folds it through the
   * same rules, each JSON field decoded as its {@link ExperimentField}.
   */
  public record ExperimentChanged(ObjectNode changes, Phase newPhase, Origin origin)
      implements Event {}

  /**
   * {@code ship}: the variant a conclude shipped, or null (every other action, and the journals
   * written before shipping existed); {@code reason}: why, when the writer said (a guardrail).
   */
  public record StatusChanged(Lifecycle action, Origin origin, String ship, String reason)
      implements Event {
    public StatusChanged(Lifecycle action, Origin origin) {
      this(action, origin, null, null);
    }

    public StatusChanged(Lifecycle action, Origin origin, String ship) {
      this(action, origin, ship, null);
    }
  }

  public sealed interface Reply extends CborSerializable {}

  public record Accepted(Experiment experiment, List<Phase> phases) implements Reply {}

  /** {@code code} is the API's error code when the rule that refused knows it, else null. */
  public record Rejected(Rejection reason, String message, String field, String code)
      implements Reply {
    public Rejected(Rejection reason, String message, String field) {
      this(reason, message, field, null);
    }
  }

  public enum Rejection {
    NOT_FOUND,
    ALREADY_EXISTS,
    INVALID_TRANSITION,
    STALE_VERSION,
    INVALID
  }

  /** Where the fast path sends states; the manifest publisher in production. */
  public interface StateListener {
    void updated(String key, ExperimentState state);

    /**
     * An event written in another region was applied here (not during recovery): {@code writtenAt}
     * is its origin's clock, for the replication lag.
     */
    default void replicated(String key, ExperimentState state, Origin origin) {
      updated(key, state);
    }
  }

  private final String key;
  private final String region;
  private final ReplicationContext replication;
  private final Clock clock;
  private final StateListener listener;

  /**
   * @param replicas every region's replica id; this one's is {@code region}
   * @param queryPluginId the read journal other replicas' events are read from
   */
  public static Behavior<Command> create(
      String key,
      String region,
      Set<String> replicas,
      String queryPluginId,
      Clock clock,
      StateListener listener) {
    Set<ReplicaId> all = replicas.stream().map(ReplicaId::new).collect(Collectors.toSet());
    return ReplicatedEventSourcing.commonJournalConfig(
        new ReplicationId(ENTITY_TYPE_KEY.name(), key, new ReplicaId(region)),
        all,
        queryPluginId,
        ctx -> new ExperimentEntity(ctx, clock, listener));
  }

  /** The persistence id of a region's replica: its journal holds every replica's events. */
  public static String persistenceId(String key, String region) {
    return new ReplicationId(ENTITY_TYPE_KEY.name(), key, new ReplicaId(region))
        .persistenceId()
        .id();
  }

  private ExperimentEntity(ReplicationContext ctx, Clock clock, StateListener listener) {
    super(ctx, Optional.of(Backoff.JOURNAL));
    this.key = ctx.entityId();
    this.region = ctx.replicaId().id();
    this.replication = ctx;
    this.clock = clock;
    this.listener = listener;
  }

  /** No snapshots are taken (histories are short), so recovery never asks the snapshot store. */
  @Override
  public Recovery recovery() {
    return Backoff.EVENTS_ONLY;
  }

  @Override
  public ExperimentState emptyState() {
    return ExperimentState.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(ManifestTags.forRegion(region));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ExperimentState> commandHandler() {
    var builder = CommandHandlerWithReplyBuilder.<Command, Event, ExperimentState>builder();
    builder
        .forState(state -> !state.exists())
        .onCommand(Create.class, this::onCreate)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(Patch.class, (s, c) -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(Transition.class, (s, c) -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(Archive.class, (s, c) -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(Wake.class, (s, c) -> Effect().noReply());
    // A deleted draft is gone for the API; its key is not reused, so that its journal (the audit
    // trail) never mixes with another experiment's.
    builder
        .forState(ExperimentEntity::deleted)
        .onCommand(Create.class, (s, c) -> Effect().reply(c.replyTo(), keyOfDeleted()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), deletedNotFound()))
        .onCommand(Patch.class, (s, c) -> Effect().reply(c.replyTo(), deletedNotFound()))
        .onCommand(Transition.class, (s, c) -> Effect().reply(c.replyTo(), deletedNotFound()))
        .onCommand(Archive.class, (s, c) -> Effect().reply(c.replyTo(), deletedNotFound()))
        .onCommand(Wake.class, (s, c) -> Effect().noReply());
    builder
        .forState(state -> state.exists() && !deleted(state))
        .onCommand(Create.class, (s, c) -> Effect().reply(c.replyTo(), alreadyExists()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), accepted(s)))
        .onCommand(Patch.class, this::onPatch)
        .onCommand(Transition.class, this::onTransition)
        .onCommand(Archive.class, this::onArchive)
        .onCommand(Wake.class, (s, c) -> Effect().noReply());
    return builder.build();
  }

  private ReplyEffect<Event, ExperimentState> onCreate(ExperimentState state, Create command) {
    Origin origin = originOf(state, command.actor());
    // built-in metrics its guardrails name are its own from the start (the HTTP layer adds them)
    Experiment created = BuiltInMetrics.complete(command.draft()).asCreated(newSalt(), origin.at());
    return persistAndReply(new ExperimentCreated(created, origin), command.replyTo());
  }

  private ReplyEffect<Event, ExperimentState> onPatch(ExperimentState state, Patch command) {
    if (Lifecycle.terminal(state.status())) {
      return reject(
          command.replyTo(),
          Rejection.INVALID_TRANSITION,
          "a " + state.status() + " experiment cannot be changed",
          null);
    }
    long version = state.experiment().version();
    if (command.expectedVersion() != version) {
      return reject(
          command.replyTo(),
          Rejection.STALE_VERSION,
          "version " + command.expectedVersion() + " is stale; the experiment is at " + version,
          null);
    }
    Experiment preview;
    try {
      preview = state.preview(command.changes());
    } catch (IllegalArgumentException e) {
      // a value the HTTP layer would have refused, from another caller: refused, not a crash
      return reject(command.replyTo(), Rejection.INVALID, e.getMessage(), null);
    }
    Experiment completed = BuiltInMetrics.complete(preview);
    boolean metricsAdded = completed != preview;
    preview = completed;
    var violation = DefinitionRules.check(preview);
    if (violation.isPresent()) {
      var v = violation.get();
      return Effect()
          .reply(
              command.replyTo(), new Rejected(Rejection.INVALID, v.message(), v.field(), v.code()));
    }
    Origin origin = originOf(state, command.actor());
    List<ExperimentField> fields = new ArrayList<>(command.changes().fields());
    if (metricsAdded && !fields.contains(ExperimentField.METRICS)) {
      fields.add(ExperimentField.METRICS); // a built-in metric a new guardrail names
    }
    if (fields.contains(ExperimentField.RAMP_PLAN) && preview.rampHalted() != null) {
      // a new plan is a person's decision to ramp again (RampHalt)
      preview = preview.with(Collections.singletonMap(ExperimentField.RAMP_HALTED, null));
      fields.add(ExperimentField.RAMP_HALTED);
    }
    Phase newPhase = null;
    if (rerandomizes(state, preview, command.sticky())) {
      newPhase = new Phase(state.experiment().phase() + 1, newSalt(), origin.at());
      preview =
          preview.with(
              Map.of(
                  ExperimentField.SALT, newPhase.salt(), ExperimentField.PHASE, newPhase.number()));
      fields.add(ExperimentField.SALT);
      fields.add(ExperimentField.PHASE);
    }
    return persistAndReply(
        new ExperimentRevised(fields, preview, newPhase, origin), command.replyTo());
  }

  /** DESIGN §3: a weight change after the start is a new randomization, unless sticky. */
  private static boolean rerandomizes(ExperimentState state, Experiment preview, boolean sticky) {
    if (sticky || !Lifecycle.started(state.status())) {
      return false;
    }
    return !weights(state.experiment().variants()).equals(weights(preview.variants()));
  }

  private static List<String> weights(List<Variant> variants) {
    return variants.stream().map(v -> v.key() + "=" + v.weight()).toList();
  }

  private ReplyEffect<Event, ExperimentState> onTransition(
      ExperimentState state, Transition command) {
    if (!command.action().allowedOn(state.experiment())) {
      return reject(
          command.replyTo(),
          Rejection.INVALID_TRANSITION,
          "cannot "
              + command.action().name().toLowerCase(Locale.ROOT)
              + " an experiment that is "
              + state.status()
              + (state.status() == ExperimentStatus.CONCLUDED
                  ? " and ships no variant (it serves nobody already)"
                  : ""),
          null);
    }
    String ship = command.ship();
    if (ship != null) {
      if (command.action() != Lifecycle.CONCLUDE) {
        return reject(
            command.replyTo(), Rejection.INVALID, "only a conclude ships a variant", "ship");
      }
      if (state.experiment().variants().stream().noneMatch(v -> v.key().equals(ship))) {
        return reject(
            command.replyTo(),
            Rejection.INVALID,
            "ship names no variant of this experiment: "
                + ship
                + " (its variants: "
                + state.experiment().variants().stream()
                    .map(Variant::key)
                    .collect(Collectors.joining(", "))
                + ")",
            "ship");
      }
    }
    return persistAndReply(
        new StatusChanged(
            command.action(), originOf(state, command.actor()), ship, command.reason()),
        command.replyTo());
  }

  /** Archiving an archived experiment (or unarchiving one that is not) changes nothing. */
  private ReplyEffect<Event, ExperimentState> onArchive(ExperimentState state, Archive command) {
    if (!Lifecycle.archivable(state.status())) {
      return reject(
          command.replyTo(),
          Rejection.INVALID_TRANSITION,
          "only a CONCLUDED or KILLED experiment can be archived; this one is " + state.status(),
          null);
    }
    if (state.experiment().archived() == command.archived()) {
      return Effect().reply(command.replyTo(), accepted(state));
    }
    Experiment archived =
        state.experiment().with(Map.of(ExperimentField.ARCHIVED, command.archived()));
    return persistAndReply(
        new ExperimentRevised(
            List.of(ExperimentField.ARCHIVED), archived, null, originOf(state, command.actor())),
        command.replyTo());
  }

  private static boolean deleted(ExperimentState state) {
    return state.exists() && state.status() == ExperimentStatus.DELETED;
  }

  private ReplyEffect<Event, ExperimentState> persistAndReply(Event event, ActorRef<Reply> to) {
    return Effect()
        .persist(event)
        .thenRun(s -> listener.updated(key, s))
        .thenReply(to, ExperimentEntity::accepted);
  }

  private Origin originOf(ExperimentState state, Author actor) {
    return new Origin(actor.id(), actor.name(), region, state.nextWriteTime(clock.instant()));
  }

  private static Accepted accepted(ExperimentState state) {
    return new Accepted(state.experiment(), state.phaseList());
  }

  private ReplyEffect<Event, ExperimentState> reject(
      ActorRef<Reply> to, Rejection reason, String message, String field) {
    return Effect().reply(to, new Rejected(reason, message, field));
  }

  /** A fresh random salt per experiment and phase (DESIGN.md §3); persisted, so replay keeps it. */
  private static String newSalt() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private Rejected notFound() {
    return new Rejected(Rejection.NOT_FOUND, "no experiment with key '" + key + "'", null);
  }

  private Rejected deletedNotFound() {
    return new Rejected(Rejection.NOT_FOUND, "experiment '" + key + "' was deleted", null);
  }

  private Rejected keyOfDeleted() {
    return new Rejected(
        Rejection.ALREADY_EXISTS,
        "an experiment with key '"
            + key
            + "' was deleted; a deleted experiment's key is not reused",
        "key");
  }

  private Rejected alreadyExists() {
    return new Rejected(
        Rejection.ALREADY_EXISTS, "an experiment with key '" + key + "' already exists", "key");
  }

  @Override
  public EventHandler<ExperimentState, Event> eventHandler() {
    return (state, event) -> {
      ExperimentState next = apply(state, event);
      if (!replication.recoveryRunning() && !replication.origin().equals(replication.replicaId())) {
        listener.replicated(key, next, event.origin());
      }
      return next;
    };
  }

  /** Folds one event: the manifest projection uses exactly the entity's own rules. */
  public static ExperimentState apply(ExperimentState state, Event event) {
    if (event instanceof ExperimentCreated e) {
      return state.created(e.experiment(), e.origin());
    }
    if (event instanceof ExperimentRevised e) {
      return state.changed(e.fields(), e.revised(), e.newPhase(), e.origin());
    }
    if (event instanceof ExperimentChanged legacy) {
      return state.changed(
          ExperimentPatch.fromJson(legacy.changes()), legacy.newPhase(), legacy.origin());
    }
    StatusChanged e = (StatusChanged) event;
    return state.statusChanged(e.action().target(), e.ship(), e.origin());
  }
}
