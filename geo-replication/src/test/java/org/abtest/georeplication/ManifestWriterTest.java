package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The manifest store's writer: one write at a time, newest first, a failed write tried again. */
class ManifestWriterTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** A store whose writes complete when the test says so; it records the versions it was given. */
  private static final class HeldStore implements ManifestStore {
    final List<Long> asked = new CopyOnWriteArrayList<>();
    final LinkedBlockingQueue<CompletableFuture<Void>> pending = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Optional<Manifest>> load(String region) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Void> save(String region, Manifest manifest) {
      CompletableFuture<Void> write = new CompletableFuture<>();
      // recorded before it is handed out, so a test that took the write sees its version
      asked.add(manifest.version());
      pending.add(write);
      return write;
    }

    CompletableFuture<Void> next() throws InterruptedException {
      CompletableFuture<Void> write = pending.poll(5, TimeUnit.SECONDS);
      assertThat(write).as("a write was asked").isNotNull();
      return write;
    }
  }

  private static Manifest version(long v) {
    return new Manifest(v, List.of(), Map.of(), null);
  }

  private static ActorRef<ManifestWriter.Command> writer(ManifestStore store, Duration retry) {
    return testKit.spawn(ManifestWriter.create("eu", store, retry));
  }

  @Test
  void whileAWriteIsInFlightOnlyTheNewestOfTheManifestsGivenMeanwhileIsWrittenNext()
      throws Exception {
    HeldStore store = new HeldStore();
    var writer = writer(store, Duration.ofSeconds(1));
    writer.tell(new ManifestWriter.Save(version(1)));
    CompletableFuture<Void> first = store.next();
    writer.tell(new ManifestWriter.Save(version(2)));
    writer.tell(new ManifestWriter.Save(version(3)));
    first.complete(null);
    store.next().complete(null);
    // a later save, once written, shows what was written before it
    writer.tell(new ManifestWriter.Save(version(4)));
    store.next().complete(null);
    assertThat(store.asked).containsExactly(1L, 3L, 4L);
  }

  @Test
  void anOlderManifestGivenAfterANewerOneIsNeverWritten() throws Exception {
    HeldStore store = new HeldStore();
    var writer = writer(store, Duration.ofSeconds(1));
    writer.tell(new ManifestWriter.Save(version(5)));
    store.next().complete(null);
    writer.tell(new ManifestWriter.Save(version(4)));
    writer.tell(new ManifestWriter.Save(version(5)));
    writer.tell(new ManifestWriter.Save(version(6)));
    store.next().complete(null);
    assertThat(store.asked).containsExactly(5L, 6L);
  }

  @Test
  void aFailedWriteIsTriedAgainAfterTheRetryDelayWithTheNewestManifest() throws Exception {
    HeldStore store = new HeldStore();
    var writer = writer(store, Duration.ofMillis(200));
    writer.tell(new ManifestWriter.Save(version(1)));
    store.next().completeExceptionally(new IllegalStateException("cassandra is away"));
    writer.tell(new ManifestWriter.Save(version(2)));
    store.next().complete(null);
    await().atMost(Duration.ofSeconds(5)).until(() -> store.asked.size() == 2);
    assertThat(store.asked).containsExactly(1L, 2L);
  }
}
