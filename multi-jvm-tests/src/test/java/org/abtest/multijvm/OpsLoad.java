package org.abtest.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Bucketing;

/**
 * The operations test's continuous load, from one thread so that each unit's events reach Kafka in
 * the order they were sent: every batch enrols new units in each experiment (with the variant the
 * platform assigns them, computed from the experiment's salt, weights and coverage: DESIGN.md §3),
 * sends exposures again for units queued as returning, and purchases (integer values) of units
 * already accepted. A batch is retried, same body and event ids, on the next node until one answers
 * 202; its {@code rejected} events are not recorded, the others go to the {@link OpsLedger}. Every
 * {@code ts} is taken from one strictly increasing clock, so a unit's events are dated in the order
 * they were sent. {@link #drain()} holds the load with no batch in flight.
 */
final class OpsLoad implements Runnable {

  /** The test's view of an experiment: what every node's manifest says once a change spread. */
  record View(
      String status,
      int phase,
      String salt,
      int coverage,
      List<String> variants,
      List<Integer> weights,
      int version) {

    static View of(JsonNode experiment) {
      List<String> keys = new ArrayList<>();
      List<Integer> weights = new ArrayList<>();
      experiment
          .path("variants")
          .forEach(
              v -> {
                keys.add(v.path("key").asText());
                weights.add(v.path("weight").asInt());
              });
      return new View(
          experiment.path("status").asText(),
          experiment.path("phase").asInt(),
          experiment.path("salt").asText(),
          experiment.path("coverage").asInt(10000),
          List.copyOf(keys),
          List.copyOf(weights),
          experiment.path("version").asInt());
    }

    /** The variant the platform assigns {@code unit}, or null when it is outside every range. */
    String variantOf(String unit) {
      int bucket = Bucketing.bucket(salt, unit);
      int start = 0;
      for (int i = 0; i < variants.size(); i++) {
        int width = (int) ((long) coverage * weights.get(i) / Bucketing.BUCKETS);
        if (bucket >= start && bucket < start + width) {
          return variants.get(i);
        }
        start += weights.get(i);
      }
      return null;
    }
  }

  private final List<String> experiments;
  private final Map<String, View> views = new ConcurrentHashMap<>();
  private final Map<String, ArrayDeque<String>> returning = new ConcurrentHashMap<>();
  private final Map<String, List<String>> enrolled = new ConcurrentHashMap<>();
  private final List<String> exposedUnits = new ArrayList<>();
  private final Supplier<Http> nodes;
  private final OpsLedger ledger;
  private final String runId = Long.toHexString(System.nanoTime());
  private final AtomicLong clock = new AtomicLong();
  private final ReentrantLock inFlight = new ReentrantLock();
  private volatile boolean open;
  private volatile boolean running = true;
  private long units;
  private long events;
  final AtomicLong batchesAcked = new AtomicLong();
  final AtomicLong attemptsFailed = new AtomicLong();
  final Map<String, Long> rejectedByCode = new TreeMap<>();
  volatile Throwable failure;

  OpsLoad(List<String> experiments, Supplier<Http> nodes, OpsLedger ledger) {
    this.experiments = List.copyOf(experiments);
    this.nodes = nodes;
    this.ledger = ledger;
    experiments.forEach(
        e -> {
          returning.put(e, new ArrayDeque<>());
          enrolled.put(e, new ArrayList<>());
        });
  }

  void view(String experiment, View view) {
    views.put(experiment, view);
  }

  View view(String experiment) {
    return views.get(experiment);
  }

  /**
   * Queues up to {@code count} units enrolled earlier in {@code experiment} to be exposed again.
   */
  void returning(String experiment, int count) {
    List<String> before = enrolled.get(experiment);
    ArrayDeque<String> queue = returning.get(experiment);
    synchronized (this) {
      for (int i = 0; i < Math.min(count, before.size()); i++) {
        queue.add(before.get((int) ((i * 7919L) % before.size())));
      }
    }
  }

  /** Holds the load; returns once no batch is in flight. */
  void drain() {
    open = false;
    inFlight.lock();
    inFlight.unlock();
  }

  void open() {
    open = true;
  }

  void stop() {
    running = false;
    drain();
  }

  @Override
  public void run() {
    try {
      while (running) {
        inFlight.lock();
        try {
          if (open) {
            sendOne();
          }
        } finally {
          inFlight.unlock();
        }
        Thread.sleep(100); // pacing the load
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private long ts() {
    return clock.updateAndGet(last -> Math.max(System.currentTimeMillis(), last + 1));
  }

  private void sendOne() throws InterruptedException {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode array = body.putArray("events");
    List<OpsLedger.Accepted> sent = new ArrayList<>();
    for (String e : experiments) {
      View view = views.get(e);
      List<String> batchUnits = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        batchUnits.add(e + "-u" + units++);
      }
      synchronized (this) {
        for (int i = 0; i < 10 && !returning.get(e).isEmpty(); i++) {
          batchUnits.add(returning.get(e).poll());
        }
      }
      for (String unit : batchUnits) {
        String variant = view.variantOf(unit);
        if (variant != null) {
          long ts = ts();
          array
              .addObject()
              .put("eventId", runId + "-" + events++)
              .put("type", "exposure")
              .put("unit", unit)
              .put("experiment", e)
              .put("variant", variant)
              .put("ts", Instant.ofEpochMilli(ts).toString());
          sent.add(new OpsLedger.Accepted(unit, e, view.phase(), variant, ts, null, 0));
        }
      }
    }
    synchronized (this) {
      for (int i = 0; i < 20 && !exposedUnits.isEmpty(); i++) {
        String unit = exposedUnits.get((int) ((events * 2654435761L) % exposedUnits.size()));
        long value = 1 + (events * 13) % 50;
        long ts = ts();
        array
            .addObject()
            .put("eventId", runId + "-" + events++)
            .put("type", "metric")
            .put("unit", unit)
            .put("event", "purchase")
            .put("value", value)
            .put("ts", Instant.ofEpochMilli(ts).toString());
        sent.add(new OpsLedger.Accepted(unit, null, 0, null, ts, "purchase", value));
      }
    }
    JsonNode reply = sendUntilAcked(body.toString());
    Set<Integer> rejected = new HashSet<>();
    for (JsonNode r : reply.path("rejected")) {
      rejected.add(r.path("index").asInt());
      synchronized (this) {
        rejectedByCode.merge(r.path("error").path("code").asText(), 1L, Long::sum);
      }
    }
    synchronized (this) {
      for (int i = 0; i < sent.size(); i++) {
        OpsLedger.Accepted a = sent.get(i);
        if (!rejected.contains(i)) {
          ledger.add(a);
          if (a.isExposure()) {
            exposedUnits.add(a.unit());
            enrolled.get(a.experiment()).add(a.unit());
          }
        }
      }
    }
  }

  private JsonNode sendUntilAcked(String body) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    List<Integer> failures = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      Http.Reply reply = nodes.get().call("POST", "/v1/events", NodeJvm.SDK, body);
      if (reply.status() == 202) {
        batchesAcked.incrementAndGet();
        return reply.body();
      }
      failures.add(reply.status());
      attemptsFailed.incrementAndGet();
      Thread.sleep(200); // a client's pause before it retries the batch
    }
    throw new AssertionError("a batch was never acknowledged; failed attempts " + failures);
  }
}
