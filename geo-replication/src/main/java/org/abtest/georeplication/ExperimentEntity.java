package org.abtest.georeplication;

import java.time.Clock;
import java.util.Set;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One experiment's definition and lifecycle, event-sourced in the Cassandra journal. Every event is
 * tagged so that the manifest stream can follow all experiments in order.
 *
 * <p>Replies are {@link Reply} rather than {@code StatusReply}: a rejection must carry its code
 * (not found, conflict) across nodes, and StatusReply's error side only carries a string there.
 */
public final class ExperimentEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        ExperimentEntity.Command, ExperimentEntity.Event, ExperimentEntity.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Experiment");
  public static final String TAG = "experiment";

  public sealed interface Command extends CborSerializable {}

  public record Create(Experiment draft, ActorRef<Reply> replyTo) implements Command {}

  public record Start(ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record ExperimentCreated(Experiment experiment) implements Event {}

  public record ExperimentStarted(java.time.Instant at) implements Event {}

  public sealed interface Reply extends CborSerializable {}

  public record Accepted(Experiment experiment) implements Reply {}

  public record Rejected(Rejection reason, String message) implements Reply {}

  public enum Rejection {
    NOT_FOUND,
    ALREADY_EXISTS,
    INVALID_TRANSITION
  }

  /** Empty until created; afterwards the experiment as it now stands. */
  public record State(Experiment experiment) implements CborSerializable {
    static final State EMPTY = new State(null);

    boolean exists() {
      return experiment != null;
    }
  }

  private final String key;
  private final Clock clock;

  public static void init(ActorSystem<?> system, Clock clock) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), clock)));
  }

  public static Behavior<Command> create(String key, Clock clock) {
    return new ExperimentEntity(key, clock);
  }

  private ExperimentEntity(String key, Clock clock) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), key));
    this.key = key;
    this.clock = clock;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(state -> !state.exists())
        .onCommand(Create.class, this::onCreate)
        .onCommand(Start.class, (s, c) -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), notFound()));
    builder
        .forState(State::exists)
        .onCommand(Create.class, (s, c) -> Effect().reply(c.replyTo(), alreadyExists()))
        .onCommand(Start.class, this::onStart)
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), new Accepted(s.experiment())));
    return builder.build();
  }

  private ReplyEffect<Event, State> onCreate(State state, Create command) {
    Experiment created = command.draft().asCreated(newSalt(), clock.instant());
    return Effect()
        .persist(new ExperimentCreated(created))
        .thenReply(command.replyTo(), s -> new Accepted(s.experiment()));
  }

  private ReplyEffect<Event, State> onStart(State state, Start command) {
    ExperimentStatus status = state.experiment().status();
    if (status != ExperimentStatus.DRAFT && status != ExperimentStatus.PAUSED) {
      return Effect()
          .reply(
              command.replyTo(),
              new Rejected(
                  Rejection.INVALID_TRANSITION, "cannot start an experiment in " + status));
    }
    return Effect()
        .persist(new ExperimentStarted(clock.instant()))
        .thenReply(command.replyTo(), s -> new Accepted(s.experiment()));
  }

  /** A fresh random salt per experiment (DESIGN.md §3); persisted, so replay keeps it. */
  private static String newSalt() {
    byte[] bytes = new byte[8];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  private Rejected notFound() {
    return new Rejected(Rejection.NOT_FOUND, "no experiment with key '" + key + "'");
  }

  private Rejected alreadyExists() {
    return new Rejected(
        Rejection.ALREADY_EXISTS, "an experiment with key '" + key + "' already exists");
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(ExperimentCreated.class, (state, event) -> new State(event.experiment()))
        .onEvent(
            ExperimentStarted.class,
            (state, event) ->
                new State(state.experiment().withStatus(ExperimentStatus.RUNNING, event.at())))
        .build();
  }
}
