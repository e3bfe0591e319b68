package org.abtest.georeplication;

import java.time.Duration;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Stores the region's newest manifest, a child of {@link ManifestPublisher}: one write at a time,
 * always of the newest manifest it was given, so the stored version never goes back. A failed write
 * is retried after {@code retryAfter} (Cassandra may be briefly away or still creating tables); a
 * newer manifest given meanwhile replaces the one that failed.
 */
final class ManifestWriter {

  sealed interface Command {}

  /** The newest manifest published; stored unless a newer one is already. */
  record Save(Manifest manifest) implements Command, NoSerializationVerificationNeeded {}

  private record Written(long version, Throwable failure)
      implements Command, NoSerializationVerificationNeeded {}

  private enum Retry implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  static Behavior<Command> create(String region, ManifestStore store, Duration retryAfter) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new ManifestWriter(ctx, timers, region, store, retryAfter).idle()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String region;
  private final ManifestStore store;
  private final Duration retryAfter;
  private Manifest newest;
  private long savedVersion;
  private boolean writing;

  private ManifestWriter(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String region,
      ManifestStore store,
      Duration retryAfter) {
    this.ctx = ctx;
    this.timers = timers;
    this.region = region;
    this.store = store;
    this.retryAfter = retryAfter;
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Save.class, this::onSave)
        .onMessage(Written.class, this::onWritten)
        .onMessageEquals(Retry.INSTANCE, this::onRetry)
        .build();
  }

  private Behavior<Command> onSave(Save save) {
    if (newest == null || save.manifest().version() > newest.version()) {
      newest = save.manifest();
    }
    writeNewest();
    return Behaviors.same();
  }

  private Behavior<Command> onWritten(Written written) {
    if (written.failure() != null) {
      ctx.getLog()
          .warn(
              "manifest version {} not stored: {}",
              written.version(),
              written.failure().toString());
      timers.startSingleTimer(Retry.INSTANCE, retryAfter);
      return Behaviors.same();
    }
    writing = false;
    savedVersion = Math.max(savedVersion, written.version());
    writeNewest();
    return Behaviors.same();
  }

  private Behavior<Command> onRetry() {
    writing = false;
    writeNewest();
    return Behaviors.same();
  }

  private void writeNewest() {
    if (writing || newest == null || newest.version() <= savedVersion) {
      return;
    }
    writing = true;
    long version = newest.version();
    ctx.pipeToSelf(store.save(region, newest), (done, failure) -> new Written(version, failure));
  }
}
