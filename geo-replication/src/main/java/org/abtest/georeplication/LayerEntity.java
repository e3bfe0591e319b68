package org.abtest.georeplication;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.SlotRange;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * One layer: the single writer that hands out its slot ranges, so two experiments can never be
 * given overlapping ranges (a replicated writer could not promise that). The global holdout is a
 * range in the layer {@link #GLOBAL}.
 */
public final class LayerEntity
    extends EventSourcedBehaviorWithEnforcedReplies<
        LayerEntity.Command, LayerEntity.Event, LayerState> {

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "Layer");
  public static final String GLOBAL = "global";

  public sealed interface Command extends CborSerializable {}

  public record Create(Author actor, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /**
   * Gives {@code owner} the range (replacing a range it held); with {@code createIfMissing} the
   * layer is created first when needed (the global layer comes into being with the holdout).
   */
  public record Allocate(
      String owner, SlotRange range, boolean createIfMissing, ActorRef<Reply> replyTo)
      implements Command {}

  public record Release(String owner, ActorRef<Reply> replyTo) implements Command {}

  public sealed interface Event extends CborSerializable {}

  public record LayerCreated(String salt, Instant at) implements Event {}

  public record RangeAllocated(String owner, SlotRange range) implements Event {}

  public record RangeReleased(String owner) implements Event {}

  public sealed interface Reply extends CborSerializable {}

  public record Accepted(LayerState layer) implements Reply {}

  public record Rejected(Rejection reason, String message) implements Reply {}

  public enum Rejection {
    NOT_FOUND,
    ALREADY_EXISTS,
    OVERLAP,
    /** Layers are written in their home region only; this is another region. */
    NOT_HOME
  }

  /** Where the fast path sends states; the manifest publisher in production. */
  public interface StateListener {
    void updated(String key, LayerState state);
  }

  private final String key;
  private final String region;
  private final String home;
  private final Clock clock;
  private final StateListener listener;

  public static Behavior<Command> create(
      String key, String region, Clock clock, StateListener listener) {
    return create(key, region, region, clock, listener);
  }

  /**
   * @param home the one region that writes layers (a layer's slot ranges need a single writer); in
   *     any other region the entity only reads, recovering afresh for every read
   */
  public static Behavior<Command> create(
      String key, String region, String home, Clock clock, StateListener listener) {
    return new LayerEntity(key, region, home, clock, listener);
  }

  private LayerEntity(String key, String region, String home, Clock clock, StateListener listener) {
    super(PersistenceId.of(ENTITY_TYPE_KEY.name(), key), Backoff.JOURNAL);
    this.key = key;
    this.region = region;
    this.home = home;
    this.clock = clock;
    this.listener = listener;
  }

  /** No snapshots are taken (histories are short), so recovery never asks the snapshot store. */
  @Override
  public Recovery recovery() {
    return Backoff.EVENTS_ONLY;
  }

  @Override
  public LayerState emptyState() {
    return LayerState.empty(key);
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(ManifestTags.forRegion(region));
  }

  @Override
  public CommandHandlerWithReply<Command, Event, LayerState> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    if (!region.equals(home)) {
      // A reader: the journal is written in the home region, so every read recovers anew.
      builder
          .forAnyState()
          .onCommand(
              Get.class,
              (s, c) ->
                  Effect()
                      .stop()
                      .thenReply(c.replyTo(), st -> st.exists() ? new Accepted(st) : notFound()))
          .onCommand(Create.class, (s, c) -> Effect().reply(c.replyTo(), notHome()))
          .onCommand(Allocate.class, (s, c) -> Effect().reply(c.replyTo(), notHome()))
          .onCommand(Release.class, (s, c) -> Effect().reply(c.replyTo(), notHome()));
      return builder.build();
    }
    builder
        .forState(state -> !state.exists())
        .onCommand(Create.class, (s, c) -> persist(List.of(created()), c.replyTo()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), notFound()))
        .onCommand(Allocate.class, this::onAllocateMissing)
        .onCommand(Release.class, (s, c) -> Effect().reply(c.replyTo(), notFound()));
    builder
        .forState(LayerState::exists)
        .onCommand(Create.class, (s, c) -> Effect().reply(c.replyTo(), alreadyExists()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), new Accepted(s)))
        .onCommand(Allocate.class, this::onAllocate)
        .onCommand(Release.class, this::onRelease);
    return builder.build();
  }

  private Rejected notHome() {
    return new Rejected(
        Rejection.NOT_HOME,
        "layers are written in region '"
            + home
            + "' only (their slot ranges need one writer); this is region '"
            + region
            + "'");
  }

  private ReplyEffect<Event, LayerState> onAllocateMissing(LayerState state, Allocate command) {
    if (!command.createIfMissing()) {
      return Effect().reply(command.replyTo(), notFound());
    }
    return persist(
        List.of(created(), new RangeAllocated(command.owner(), command.range())),
        command.replyTo());
  }

  private ReplyEffect<Event, LayerState> onAllocate(LayerState state, Allocate command) {
    var clash = state.overlapping(command.owner(), command.range());
    if (clash.isPresent()) {
      SlotRange held = clash.get().getValue();
      return Effect()
          .reply(
              command.replyTo(),
              new Rejected(
                  Rejection.OVERLAP,
                  "slots ["
                      + held.start()
                      + ", "
                      + held.end()
                      + ") of layer '"
                      + key
                      + "' are held by '"
                      + clash.get().getKey()
                      + "'"));
    }
    if (command.range().equals(state.allocations().get(command.owner()))) {
      return Effect().reply(command.replyTo(), new Accepted(state));
    }
    return persist(
        List.of(new RangeAllocated(command.owner(), command.range())), command.replyTo());
  }

  private ReplyEffect<Event, LayerState> onRelease(LayerState state, Release command) {
    if (!state.allocations().containsKey(command.owner())) {
      return Effect().reply(command.replyTo(), new Accepted(state));
    }
    return persist(List.of(new RangeReleased(command.owner())), command.replyTo());
  }

  private ReplyEffect<Event, LayerState> persist(List<Event> events, ActorRef<Reply> replyTo) {
    return Effect()
        .persist(events)
        .thenRun(s -> listener.updated(key, s))
        .thenReply(replyTo, Accepted::new);
  }

  private LayerCreated created() {
    byte[] bytes = new byte[8];
    new SecureRandom().nextBytes(bytes);
    return new LayerCreated(HexFormat.of().formatHex(bytes), clock.instant());
  }

  private Rejected notFound() {
    return new Rejected(Rejection.NOT_FOUND, "no layer with key '" + key + "'");
  }

  private Rejected alreadyExists() {
    return new Rejected(Rejection.ALREADY_EXISTS, "a layer with key '" + key + "' already exists");
  }

  @Override
  public EventHandler<LayerState, Event> eventHandler() {
    return LayerEntity::apply;
  }

  /** Folds one event; the manifest projection uses the same function. */
  public static LayerState apply(LayerState state, Event event) {
    if (event instanceof LayerCreated e) {
      return state.created(e.salt(), e.at());
    }
    if (event instanceof RangeAllocated e) {
      return state.allocated(e.owner(), e.range());
    }
    return state.released(((RangeReleased) event).owner());
  }
}
