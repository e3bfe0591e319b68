package org.abtest.node.sticky;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.abtest.georeplication.CassandraSchema;
import org.abtest.http.limits.RateLimiter;
import org.abtest.http.ports.AssignmentService;
import org.abtest.protocol.assignment.StickyBuckets;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Units' first variants in a CQL table, one partition per unit ({@code (unit, experiment, salt) →
 * variant}), read through a {@link StickyCache}.
 *
 * <ul>
 *   <li>Reads: one partition read per unit on a cache miss, shared by concurrent requests for the
 *       unit, at most {@code max-reads-in-flight} at once (beyond: the unit stays unknown, "shed").
 *       A caller waits {@code read-timeout} at most; a read that lands later still fills the cache.
 *   <li>Writes: asynchronous, one per first variant a cached unit gets on this node, at most {@code
 *       max-writes-per-second} and {@code max-writes-in-flight} unacknowledged (beyond either:
 *       dropped and counted). The first write of a key wins in every replica and region: rows are
 *       written {@code USING TIMESTAMP} {@link #FIRST_WINS} minus the time, so a later write of the
 *       same key has the smaller timestamp.
 *   <li>Rows expire {@code row-ttl} after they were written.
 * </ul>
 */
public final class CassandraStickyStore implements StickyStore {

  private static final Logger log = LoggerFactory.getLogger(CassandraStickyStore.class);

  /** 2^62 µs (about 146,000 years): the write timestamp is this minus now, so earlier wins. */
  static final long FIRST_WINS = 1L << 62;

  /** Rows read per unit at most: a unit is in as many sticky experiments as a manifest holds. */
  static final int MAX_ROWS_PER_UNIT = 1000;

  private final CassandraSession session;
  private final String table;
  private final CassandraSchema schema;
  private final StickySettings settings;
  private final Clock clock;
  private final StickyCache cache;
  private final Map<String, CompletableFuture<Void>> reading = new ConcurrentHashMap<>();
  private final AtomicInteger writing = new AtomicInteger();
  private final CounterDataPoint hits;
  private final CounterDataPoint loaded;
  private final CounterDataPoint timedOut;
  private final CounterDataPoint readsFailed;
  private final CounterDataPoint shed;
  private final CounterDataPoint written;
  private final CounterDataPoint writesFailed;
  private final CounterDataPoint dropped;
  private final CounterDataPoint throttled;
  private final RateLimiter writeRate = new RateLimiter(System::nanoTime, 1.0, 1);

  public CassandraStickyStore(
      CassandraSession session,
      String keyspace,
      String replication,
      StickySettings settings,
      Clock clock,
      PrometheusRegistry registry) {
    this.session = session;
    this.table = keyspace + ".sticky_buckets";
    this.settings = settings;
    this.clock = clock;
    this.cache =
        new StickyCache(settings.cacheBytes(), settings.cacheTtl().toNanos(), System::nanoTime);
    this.schema =
        new CassandraSchema(
            session,
            keyspace,
            replication,
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (unit text, experiment text, salt text, variant text,"
                + " PRIMARY KEY (unit, experiment, salt))",
            settings.createTables());
    Counter reads =
        Counter.builder()
            .name("abtest_sticky_reads_total")
            .help(
                "Sticky bucket lookups by outcome: hit (cached), loaded, timeout and failed (the"
                    + " unit answered by the hash), shed (over max-reads-in-flight)")
            .labelNames("outcome")
            .register(registry);
    Counter writes =
        Counter.builder()
            .name("abtest_sticky_writes_total")
            .help(
                "First variants written by outcome: written, failed, dropped (over"
                    + " max-writes-in-flight), throttled (over max-writes-per-second)")
            .labelNames("outcome")
            .register(registry);
    this.hits = reads.labelValues("hit");
    this.loaded = reads.labelValues("loaded");
    this.timedOut = reads.labelValues("timeout");
    this.readsFailed = reads.labelValues("failed");
    this.shed = reads.labelValues("shed");
    this.written = writes.labelValues("written");
    this.writesFailed = writes.labelValues("failed");
    this.dropped = writes.labelValues("dropped");
    this.throttled = writes.labelValues("throttled");
    GaugeWithCallback.builder()
        .name("abtest_sticky_cache_bytes")
        .help("Estimated bytes of the sticky bucket cache (bounded by abtest.sticky.cache-bytes)")
        .callback(cb -> cb.call(cache.bytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_sticky_writes_in_flight")
        .help("Sticky bucket writes not yet acknowledged (bounded by max-writes-in-flight)")
        .callback(cb -> cb.call(writing.get()))
        .register(registry);
  }

  @Override
  public CompletionStage<Void> load(String unit) {
    if (cache.get(unit) != null) {
      hits.inc();
      return AssignmentService.READY;
    }
    CompletableFuture<Void> read = reading.get(unit);
    if (read == null) {
      if (reading.size() >= settings.maxReadsInFlight()) {
        shed.inc();
        return AssignmentService.READY;
      }
      CompletableFuture<Void> mine = new CompletableFuture<>();
      read = reading.putIfAbsent(unit, mine);
      if (read == null) {
        read = mine;
        startRead(unit, mine);
      }
    }
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    read.whenComplete((done, e) -> waiter.complete(null));
    CompletableFuture.delayedExecutor(settings.readTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              if (waiter.complete(null)) {
                timedOut.inc();
              }
            });
    return waiter;
  }

  private void startRead(String unit, CompletableFuture<Void> done) {
    schema
        .ready()
        .thenCompose(
            ready ->
                session.selectAll(
                    SimpleStatement.newInstance(
                            "SELECT experiment, salt, variant FROM "
                                + table
                                + " WHERE unit = ? LIMIT "
                                + MAX_ROWS_PER_UNIT,
                            unit)
                        .setConsistencyLevel(settings.consistency())))
        .whenComplete(
            (rows, e) -> {
              reading.remove(unit);
              if (e != null) {
                readsFailed.inc();
                log.debug("sticky buckets of a unit not read; hash answers", e);
              } else {
                cache.put(unit, variants(rows));
                loaded.inc();
              }
              done.complete(null);
            });
  }

  private static Map<String, StickyCache.Row> variants(List<Row> rows) {
    Map<String, StickyCache.Row> out = new HashMap<>();
    for (Row row : rows) {
      out.putIfAbsent(
          row.getString("salt"),
          new StickyCache.Row(row.getString("experiment"), row.getString("variant")));
    }
    return out;
  }

  @Override
  public StickyBuckets bucketsOf(String unit) {
    Map<String, StickyCache.Row> stored = cache.get(unit);
    if (stored == null) {
      return null;
    }
    return new StickyBuckets() {
      @Override
      public String variant(String experiment, String salt, String u) {
        StickyCache.Row row = stored.get(salt);
        return row != null && row.experiment().equals(experiment) ? row.variant() : null;
      }

      @Override
      public void assigned(String experiment, String salt, String u, String variant) {
        if (cache.add(unit, salt, new StickyCache.Row(experiment, variant))) {
          write(unit, experiment, salt, variant);
        }
      }
    };
  }

  private void write(String unit, String experiment, String salt, String variant) {
    if (writeRate.acquire("writes", settings.maxWritesPerSecond()) > 0) {
      throttled.inc();
      return;
    }
    if (writing.incrementAndGet() > settings.maxWritesInFlight()) {
      writing.decrementAndGet();
      dropped.inc();
      return;
    }
    long micros = TimeUnit.MILLISECONDS.toMicros(clock.millis());
    schema
        .ready()
        .thenCompose(
            ready ->
                session.executeWrite(
                    SimpleStatement.newInstance(
                            "INSERT INTO "
                                + table
                                + " (unit, experiment, salt, variant) VALUES (?, ?, ?, ?)"
                                + " USING TTL ? AND TIMESTAMP ?",
                            unit,
                            experiment,
                            salt,
                            variant,
                            (int) settings.rowTtl().toSeconds(),
                            FIRST_WINS - micros)
                        .setConsistencyLevel(settings.consistency())
                        .setIdempotent(true)))
        .whenComplete(
            (done, e) -> {
              writing.decrementAndGet();
              (e == null ? written : writesFailed).inc();
              if (e != null) {
                log.debug("a sticky bucket was not written", e);
              }
            });
  }
}
