package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.assignment.StickyBuckets;

/**
 * The Java client, the real {@link AbTest}: evaluates assignments locally with the server's own
 * {@link CompiledManifest}, keeps the manifest current in the background (stream, with ETag polling
 * as fallback), and sends exposures and metric events in batches. No call ever throws into the
 * caller: before the first manifest, or on any error, a unit simply has no assignments (defaults),
 * and when the server is unreachable the last good manifest keeps serving.
 *
 * <p>With an obfuscated SDK key the manifest's experiment and variant keys are keyed hashes: the
 * client hashes the experiment key it is asked about the same way to find it, answers that
 * experiment's assignment under the key it was asked about, and keeps the variant key hashed (it
 * cannot know the real one); {@link #inVariant} compares with a real variant key in both modes.
 * {@link #assign} lists the manifest's own (hashed) keys. Exposures carry the manifest's keys; the
 * server maps them back.
 *
 * <pre>{@code
 * AbTestClient client = AbTestClient.builder(URI.create("http://localhost:8080"), sdkKey).build();
 * String variant = client.variant("user-42", "checkout-button", Map.of("country", "US"))
 *     .orElse("control");
 * client.track("user-42", "purchase", 12.5);
 * }</pre>
 */
public final class AbTestClient implements AbTest {

  private static final Logger log = Logger.getLogger(AbTestClient.class.getName());

  private final ClientSettings settings;
  private final AtomicReference<CompiledManifest> manifest =
      new AtomicReference<>(CompiledManifest.EMPTY);
  private final ManifestSync sync;
  private final EventSender events;
  private final ScheduledExecutorService scheduler;
  private final Thread syncThread;
  private final StickyBuckets sticky;

  AbTestClient(ClientSettings settings, StickyBucketStore stickyStore) {
    this.settings = settings;
    this.sticky = stickyStore == null ? null : new StoredBuckets(stickyStore);
    HttpClient http = HttpClient.newBuilder().connectTimeout(settings.requestTimeout()).build();
    this.sync = new ManifestSync(settings, http, manifest);
    this.events = new EventSender(settings, http);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "abtest-client-events");
              t.setDaemon(true);
              return t;
            });
    long flush = settings.flushInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::flushQuietly, flush, flush, TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(sync::checkIdle, 1, 1, TimeUnit.SECONDS);
    this.syncThread = new Thread(sync, "abtest-client-manifest");
    syncThread.setDaemon(true);
    syncThread.start();
  }

  public static Builder builder(URI baseUrl, String sdkKey) {
    return new Builder(baseUrl, sdkKey);
  }

  /** Every experiment the unit is in; logs them as exposures when exposure logging is on. */
  @Override
  public List<Assignment> assign(String unit, Map<String, ?> attributes) {
    JsonNode attrs = attributes == null ? null : Json.mapper().valueToTree(attributes);
    return assign(unit, attrs);
  }

  /** As {@link #assign(String, Map)}, with attributes as a JSON object. */
  @Override
  public List<Assignment> assign(String unit, JsonNode attributes) {
    try {
      List<Assignment> assignments = manifest.get().evaluate(unit, attributes, Map.of(), sticky);
      if (settings.logExposures()) {
        Instant now = Instant.now();
        for (Assignment a : assignments) {
          logExposure(unit, a, now);
        }
      }
      return assignments;
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "assignment failed open", e);
      return List.of();
    }
  }

  /** The unit's assignment in one experiment (exposure logged for that one only), if any. */
  @Override
  public Optional<Assignment> assignment(String unit, String experiment, JsonNode attributes) {
    return Optional.ofNullable(
        evaluation(manifest.get(), unit, experiment, attributes).assignment());
  }

  @Override
  public Evaluation evaluation(String unit, String experiment, JsonNode attributes) {
    return evaluation(manifest.get(), unit, experiment, attributes);
  }

  /** Before the first manifest every experiment is not live; the provider says not ready. */
  @Override
  public boolean ready() {
    return manifest.get().version() > 0;
  }

  private Evaluation evaluation(
      CompiledManifest m, String unit, String experiment, JsonNode attributes) {
    try {
      String key = m.keyOf(experiment);
      if (key == null) {
        return new Evaluation(null, Outcome.NOT_LIVE);
      }
      Evaluation e = m.explain(key, unit, attributes, sticky);
      Assignment a = e.assignment();
      if (a == null) {
        return e;
      }
      if (settings.logExposures()) {
        logExposure(unit, a, Instant.now());
      }
      return key.equals(experiment)
          ? e
          : new Evaluation(
              new Assignment(experiment, a.variant(), a.config(), a.shipped()), e.outcome());
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "assignment failed open", e);
      return new Evaluation(null, Outcome.FAILED);
    }
  }

  @Override
  public Optional<String> variant(String unit, String experiment, Map<String, ?> attributes) {
    try {
      JsonNode attrs = attributes == null ? null : Json.mapper().valueToTree(attributes);
      return assignment(unit, experiment, attrs).map(Assignment::variant);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the unit is in this variant of the experiment (named by their real keys), with an
   * obfuscated SDK key too; logs the exposure as {@link #assignment} does.
   */
  @Override
  public boolean inVariant(
      String unit, String experiment, String variant, Map<String, ?> attributes) {
    try {
      JsonNode attrs = attributes == null ? null : Json.mapper().valueToTree(attributes);
      CompiledManifest m = manifest.get();
      Assignment a = evaluation(m, unit, experiment, attrs).assignment();
      return a != null && a.variant().equals(m.variantKeyOf(experiment, variant));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Logs the exposure under the manifest's key of the experiment (its keyed hash with an obfuscated
   * SDK key), as {@link #assignment} does with exposure logging on.
   */
  @Override
  public void exposure(String unit, Assignment assignment) {
    try {
      CompiledManifest m = manifest.get();
      String key = m.keyOf(assignment.experiment());
      if (key != null && !assignment.shipped() && !m.shippedKeys().contains(key)) {
        logExposure(unit, new Assignment(key, assignment.variant(), null), Instant.now());
      }
    } catch (RuntimeException e) {
      events.dropped.incrementAndGet();
    }
  }

  /** Queues a metric event (API.md, Events); never blocks, drops and counts when full. */
  @Override
  public void track(String unit, String event, double value) {
    try {
      ObjectNode e = event("metric", unit);
      e.put("event", event);
      e.put("value", value);
      events.offer(e);
    } catch (RuntimeException ex) {
      events.dropped.incrementAndGet();
    }
  }

  private void logExposure(String unit, Assignment a, Instant now) {
    if (a.shipped()) {
      return; // a shipped variant is served, not tested: the server refuses its exposures
    }
    // the exposure time is the assignment time, not the time the event object was built
    ObjectNode e = event("exposure", unit);
    e.put("experiment", a.experiment());
    e.put("variant", a.variant());
    e.put("ts", now.toString());
    events.offer(e);
  }

  private static ObjectNode event(String type, String unit) {
    ObjectNode e = Json.mapper().createObjectNode();
    e.put("eventId", UUID.randomUUID().toString());
    e.put("type", type);
    e.put("unit", unit);
    e.put("ts", Instant.now().toString());
    return e;
  }

  /** The manifest version in use; 0 before the first one arrives. */
  public long manifestVersion() {
    return manifest.get().version();
  }

  /** The compiled manifest in use, for callers that evaluate many units at once. */
  public CompiledManifest manifest() {
    return manifest.get();
  }

  /** Waits until a manifest has arrived; false on timeout (the client then serves defaults). */
  public boolean awaitManifest(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (manifest.get().version() == 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return manifest.get().version() > 0;
  }

  public Stats stats() {
    return new Stats(
        events.sent.get(),
        events.dropped.get(),
        events.failed.get(),
        events.rejected.get(),
        sync.fetchFailures.get());
  }

  /**
   * @param eventsSent accepted by the server
   * @param eventsDropped dropped because the queue was full
   * @param eventsFailed not sent: given up on after the retries, refused by the server as a batch,
   *     or rejected one by one
   * @param eventsRejected the part of {@code eventsFailed} that an accepting 202 listed in {@code
   *     rejected} (an invalid event: resending it would not help)
   * @param manifestFetchFailures manifest polls that got no usable answer
   */
  public record Stats(
      long eventsSent,
      long eventsDropped,
      long eventsFailed,
      long eventsRejected,
      long manifestFetchFailures) {}

  /** Sends whatever is queued, on the background thread; waits at most the timeout. */
  public void flush(Duration timeout) {
    try {
      scheduler.submit(this::flushQuietly).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.log(Level.FINE, "flush did not finish", e);
    }
  }

  private void flushQuietly() {
    try {
      events.flush();
    } catch (RuntimeException e) {
      log.log(Level.WARNING, "event flush failed", e);
    }
  }

  /** Flushes what is queued (bounded by the request timeout), then stops the background work. */
  @Override
  public void close() {
    sync.close();
    syncThread.interrupt();
    flush(settings.requestTimeout().multipliedBy(2));
    scheduler.shutdownNow();
  }

  /** The caller's store seen by the compiled manifest; a store that throws is passed over. */
  private record StoredBuckets(StickyBucketStore store) implements StickyBuckets {
    @Override
    public String variant(String experiment, String salt, String unit) {
      try {
        return store.get(experiment, salt, unit).orElse(null);
      } catch (RuntimeException e) {
        log.log(Level.FINE, "sticky bucket store failed; hash answer", e);
        return null;
      }
    }

    @Override
    public void assigned(String experiment, String salt, String unit, String variant) {
      try {
        store.put(experiment, salt, unit, variant);
      } catch (RuntimeException e) {
        log.log(Level.FINE, "sticky bucket store failed to keep a variant", e);
      }
    }
  }

  /** Builds a client; only the base URL and SDK key are required. */
  public static final class Builder {
    private final URI baseUrl;
    private final String sdkKey;
    private Duration requestTimeout = Duration.ofSeconds(5);
    private Duration pollInterval = Duration.ofSeconds(10);
    private boolean stream = true;
    private Duration streamIdleTimeout = Duration.ofSeconds(35);
    private boolean logExposures = true;
    private Duration flushInterval = Duration.ofSeconds(1);
    private int batchSize = 500;
    private int queueCapacity = 10_000;
    private int maxRetries = 5;
    private Duration retryBackoff = Duration.ofMillis(200);
    private StickyBucketStore stickyBuckets;

    private Builder(URI baseUrl, String sdkKey) {
      this.baseUrl = baseUrl;
      this.sdkKey = sdkKey;
    }

    public Builder requestTimeout(Duration d) {
      requestTimeout = d;
      return this;
    }

    public Builder pollInterval(Duration d) {
      pollInterval = d;
      return this;
    }

    /** Off: poll only, never open the event stream. */
    public Builder stream(boolean on) {
      stream = on;
      return this;
    }

    public Builder streamIdleTimeout(Duration d) {
      streamIdleTimeout = d;
      return this;
    }

    public Builder logExposures(boolean on) {
      logExposures = on;
      return this;
    }

    public Builder flushInterval(Duration d) {
      flushInterval = d;
      return this;
    }

    public Builder batchSize(int n) {
      batchSize = n;
      return this;
    }

    public Builder queueCapacity(int n) {
      queueCapacity = n;
      return this;
    }

    public Builder retries(int max, Duration firstBackoff) {
      maxRetries = max;
      retryBackoff = firstBackoff;
      return this;
    }

    /**
     * Keeps each unit's first variant of the experiments with {@code stickyBucketing} in this store
     * ({@link InMemoryStickyBucketStore}, {@link FileStickyBucketStore}, or your own): without one,
     * a sticky weight change moves units by the hash, as without sticky bucketing.
     */
    public Builder stickyBuckets(StickyBucketStore store) {
      stickyBuckets = store;
      return this;
    }

    public AbTestClient build() {
      return new AbTestClient(
          new ClientSettings(
              baseUrl,
              sdkKey,
              requestTimeout,
              pollInterval,
              stream,
              streamIdleTimeout,
              logExposures,
              flushInterval,
              batchSize,
              queueCapacity,
              maxRetries,
              retryBackoff),
          stickyBuckets);
    }
  }
}
