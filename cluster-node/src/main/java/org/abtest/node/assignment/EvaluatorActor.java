package org.abtest.node.assignment;

import java.time.Duration;
import org.abtest.georeplication.ManifestPublisher;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.slf4j.Logger;

/**
 * One per node: subscribes to the region's manifest topic and swaps each new manifest into the
 * {@link ManifestHolder} that the request path reads. Until the first manifest arrives it keeps
 * asking the publisher to resend, since a topic subscription takes a moment to be seen. Compiling
 * happens here, off the request path. An experiment that cannot be built is served as off (the
 * others as usual, see {@link ManifestHolder#degraded()}); only a manifest that fails as a whole
 * leaves the last good one in use.
 */
public final class EvaluatorActor {

  public sealed interface Command {}

  private record ManifestArrived(Manifest manifest) implements Command {}

  private enum AskForManifest implements Command {
    INSTANCE
  }

  private EvaluatorActor() {}

  public static Behavior<Command> create(
      ManifestHolder holder, ActorRef<ManifestPublisher.Command> publisher, Duration retry) {
    return Behaviors.setup(
        ctx -> {
          ActorRef<Topic.Command<Manifest>> topic =
              ctx.spawn(ManifestPublisher.topic(), "manifest-topic");
          topic.tell(Topic.subscribe(ctx.messageAdapter(Manifest.class, ManifestArrived::new)));
          return Behaviors.withTimers(
              timers -> {
                timers.startTimerWithFixedDelay(AskForManifest.INSTANCE, Duration.ZERO, retry);
                return Behaviors.receive(Command.class)
                    .onMessage(
                        ManifestArrived.class,
                        arrived -> {
                          timers.cancel(AskForManifest.INSTANCE);
                          swapIn(ctx.getLog(), holder, arrived.manifest());
                          return Behaviors.same();
                        })
                    .onMessageEquals(
                        AskForManifest.INSTANCE,
                        () -> {
                          publisher.tell(ManifestPublisher.Resend.INSTANCE);
                          return Behaviors.same();
                        })
                    .build();
              });
        });
  }

  private static void swapIn(Logger log, ManifestHolder holder, Manifest manifest) {
    try {
      if (holder.offer(manifest)) {
        log.debug("manifest version {} in use", manifest.version());
        holder
            .degraded()
            .forEach((key, reason) -> log.error("experiment '{}' served as off: {}", key, reason));
      }
    } catch (RuntimeException e) {
      log.error("manifest version {} not usable, keeping the last good one", manifest.version(), e);
    }
  }
}
