package org.abtest.analytics.aggregate;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.abtest.protocol.CborSerializable;
import org.apache.pekko.Done;
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
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Exposure counts of one experiment: each unit counts once, in the variant of its first exposure.
 * An event is persisted only for a unit's first exposure, so the journal grows with units, not with
 * events, and a redelivered Kafka record is a no-op.
 *
 * <p>The state is mutated in place by the event handler, on purpose: it grows with units and
 * copying it per event would make ingestion quadratic. It never escapes the entity except as an
 * immutable copy in replies.
 */
public final class ExposureAggregator
    extends EventSourcedBehaviorWithEnforcedReplies<
        ExposureAggregator.Command, ExposureAggregator.Event, ExposureAggregator.State> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ExposureAggregator");

  public sealed interface Command extends CborSerializable {}

  public record RecordExposure(long unitHash, String variant, ActorRef<Done> replyTo)
      implements Command {}

  public record GetCounts(ActorRef<Counts> replyTo) implements Command {}

  public record Counts(Map<String, Long> unitsPerVariant) implements CborSerializable {}

  public sealed interface Event extends CborSerializable {}

  public record UnitExposed(long unitHash, String variant) implements Event {}

  /** Units seen (by keyed hash) and units per variant. */
  public record State(Set<Long> units, Map<String, Long> unitsPerVariant)
      implements CborSerializable {}

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static Behavior<Command> create(String experiment) {
    return new ExposureAggregator(experiment);
  }

  private ExposureAggregator(String experiment) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), experiment));
  }

  @Override
  public State emptyState() {
    return new State(new HashSet<>(), new HashMap<>());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(1000, 2);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(RecordExposure.class, this::onRecordExposure)
        .onCommand(
            GetCounts.class,
            (state, command) ->
                Effect().reply(command.replyTo(), new Counts(Map.copyOf(state.unitsPerVariant()))))
        .build();
  }

  private ReplyEffect<Event, State> onRecordExposure(State state, RecordExposure command) {
    if (state.units().contains(command.unitHash())) {
      return Effect().reply(command.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new UnitExposed(command.unitHash(), command.variant()))
        .thenReply(command.replyTo(), s -> Done.getInstance());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(
            UnitExposed.class,
            (state, event) -> {
              state.units().add(event.unitHash());
              state.unitsPerVariant().merge(event.variant(), 1L, Long::sum);
              return state;
            })
        .build();
  }
}
