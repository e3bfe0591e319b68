package org.abtest.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The operations test's steps, each timed; {@link #checked} adds the check after it. */
final class OpsSteps {

  interface Action {
    void run() throws Exception;
  }

  private static final int PROBES = 40;

  private final Region region;
  private final OpsLoad load;
  private final OpsCheck check;
  private final List<String> keys;
  private final List<String> timings = new ArrayList<>();
  final List<String> actionFailures = new ArrayList<>();

  OpsSteps(Region region, OpsLoad load, OpsCheck check, List<String> keys) {
    this.region = region;
    this.load = load;
    this.check = check;
    this.keys = keys;
  }

  List<OpsCheck.Outcome> outcomes() {
    return check.outcomes;
  }

  void step(String name, Action action) throws Exception {
    long start = System.nanoTime();
    action.run();
    timings.add(String.format("%-22s %6.1f s", name, (System.nanoTime() - start) / 1e9));
    System.out.printf("[ops] step %s done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
  }

  /** The step under load, then the load drained, every experiment checked, the load resumed. */
  void checked(String name, Action action) throws Exception {
    long start = System.nanoTime();
    try {
      action.run();
    } catch (AssertionError e) {
      // recorded, and the script goes on: one run reports every step
      actionFailures.add(name + ": " + e.getMessage());
      System.out.println("[ops] step " + name + " FAILED: " + e.getMessage());
    }
    double acted = (System.nanoTime() - start) / 1e9;
    load.drain();
    long checkStart = System.nanoTime();
    List<OpsCheck.Outcome> outcomes = check.after(name, keys);
    double checked = (System.nanoTime() - checkStart) / 1e9;
    load.open();
    String line =
        String.format(
            "%-22s %6.1f s + check %5.1f s  %s",
            name,
            acted,
            checked,
            outcomes.stream()
                .map(
                    o ->
                        o.experiment()
                            + (o.ok()
                                ? " ok"
                                : " FAILED"
                                    + (o.live() ? "" : " live")
                                    + (o.replay() ? "" : " replay")))
                .toList());
    timings.add(line);
    System.out.println("[ops] step " + line);
  }

  void printSummary() {
    System.out.println("[ops] summary:");
    timings.forEach(t -> System.out.println("[ops]   " + t));
  }

  void loadFor(Duration duration) throws InterruptedException {
    load.open();
    Thread.sleep(duration.toMillis()); // the step is this long: the load runs meanwhile
    if (load.failure != null) {
      throw new AssertionError("the load failed", load.failure);
    }
  }

  /**
   * Creates and starts {@code key}, as a client would: a 503 (the journal not answering in time on
   * a loaded machine) is retried, and a retried write that had taken effect answers 409.
   */
  void createAndStart(String key) {
    Http http = region.nodes.get(0).http();
    retried(
        () -> http.call("POST", "/v1/experiments", NodeJvm.ADMIN, EventLoad.experimentJson(key)),
        List.of(201, 409),
        "create " + key);
    retried(
        () -> http.call("POST", "/v1/experiments/" + key + "/start", NodeJvm.ADMIN, null),
        List.of(200, 409),
        "start " + key);
    spread(key);
  }

  private static void retried(
      java.util.function.Supplier<Http.Reply> call, List<Integer> done, String what) {
    Http.Reply reply = call.get();
    for (int attempt = 0; attempt < 30 && !done.contains(reply.status()); attempt++) {
      try {
        Thread.sleep(2000); // a client's pause before it retries
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      reply = call.get();
    }
    if (!done.contains(reply.status())) {
      throw new AssertionError(what + ": " + reply.status() + " " + reply.body());
    }
  }

  /** {@code action} (pause, resume, conclude) of each key with the load drained, then load. */
  void lifecycle(List<String> targets, String action) throws Exception {
    load.drain();
    for (String key : targets) {
      retried(
          () ->
              region
                  .anyNode()
                  .call("POST", "/v1/experiments/" + key + "/" + action, NodeJvm.ADMIN, null),
          List.of(200, 409),
          action + " " + key);
      spread(key);
    }
    loadFor(OperationsIT.LOAD);
  }

  /** A weight change by PATCH with If-Match; units of the phase return to it afterwards. */
  void weights(String key, int control, int treatment, boolean sticky) throws Exception {
    load.drain();
    OpsLoad.View before = load.view(key);
    String body =
        """
        {"variants": [{"key": "control", "weight": %d}, {"key": "treatment", "weight": %d}],
         "sticky": %s}
        """
            .formatted(control, treatment, sticky);
    Http.Reply reply =
        region
            .anyNode()
            .call(
                "PATCH",
                "/v1/experiments/" + key,
                NodeJvm.ADMIN,
                body,
                "If-Match",
                "\"" + before.version() + "\"");
    expect(reply, 200, "PATCH " + key);
    OpsLoad.View after = spread(key);
    int phase = sticky ? before.phase() : before.phase() + 1;
    if (after.phase() != phase) {
      throw new AssertionError(
          key + ": phase " + after.phase() + " after the change, not " + phase);
    }
    load.returning(key, 200);
    loadFor(OperationsIT.LOAD);
  }

  /** Each node in turn stopped (SIGTERM: a graceful leave) and started again, under load. */
  void rollingRestart(Map<String, String> env) throws Exception {
    load.open();
    for (int i = 0; i < 3; i++) {
      long start = System.nanoTime();
      NodeJvm node = region.nodes.get(i);
      node.close();
      node.start().awaitReady(Harness.NODE_START);
      System.out.printf(
          "[ops]   %s restarted in %.1f s%n", node.name, (System.nanoTime() - start) / 1e9);
    }
    loadFor(OperationsIT.LOAD);
  }

  void addNode(int index, Map<String, String> env) throws Exception {
    load.open();
    region.node(index, env).start().awaitReady(Harness.NODE_START);
    loadFor(OperationsIT.LOAD);
  }

  void removeNode(int index) throws Exception {
    load.open();
    region.nodes.get(index).close();
    loadFor(OperationsIT.LOAD);
  }

  /**
   * node-1 restarted with ABTEST_TEST_FAIL_SNAPSHOT_AFTER_CHUNKS=1: its first snapshot fails after
   * one chunk (a hook of the snapshot-housekeeping work; without it this is one more restart).
   */
  void snapshotFailsOnce(Map<String, String> env) throws Exception {
    load.open();
    region.nodes.get(0).close();
    Map<String, String> failing = new HashMap<>(env);
    failing.put("ABTEST_TEST_FAIL_SNAPSHOT_AFTER_CHUNKS", "1");
    NodeJvm node = region.node(0, failing);
    node.start().awaitReady(Harness.NODE_START);
    loadFor(OperationsIT.LOAD.plusSeconds(4));
    try (var lines = Files.lines(region.harness.dir.resolve(node.name + ".log"))) {
      System.out.printf(
          "[ops]   %s: %d snapshot failures logged%n",
          node.name, lines.filter(l -> l.contains("snapshot of") && l.contains("failed")).count());
    }
  }

  /** Refreshes the view of {@code key} and waits until every live node assigns by it. */
  OpsLoad.View spread(String key) {
    Http.Reply reply = region.anyNode().call("GET", "/v1/experiments/" + key, NodeJvm.ADMIN, null);
    expect(reply, 200, "GET " + key);
    OpsLoad.View view = OpsLoad.View.of(reply.body());
    load.view(key, view);
    boolean running = view.status().equals("RUNNING");
    for (NodeJvm node : region.alive()) {
      Await.until(
          key + " as " + view + " in " + node.name + "'s manifest",
          Duration.ofSeconds(30),
          () -> {
            for (int p = 0; p < PROBES; p++) {
              String unit = "probe-" + p;
              String want = running ? view.variantOf(unit) : null;
              if (!java.util.Objects.equals(want, variantOn(node.http(), unit, key))) {
                return false;
              }
            }
            return true;
          });
    }
    return view;
  }

  private static String variantOn(Http http, String unit, String key) {
    Http.Reply reply =
        http.call(
            "POST", "/v1/assignments", NodeJvm.SDK, "{\"unit\": \"" + unit + "\", \"log\": false}");
    if (reply.status() != 200 || reply.body() == null) {
      return "(no answer)";
    }
    for (JsonNode a : reply.body().path("assignments")) {
      if (key.equals(a.path("experiment").asText())) {
        return a.path("variant").asText();
      }
    }
    return null;
  }

  private static void expect(Http.Reply reply, int status, String what) {
    if (reply.status() != status) {
      throw new AssertionError(what + ": " + reply.status() + " " + reply.body());
    }
  }
}
