package org.abtest.deploy.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.abtest.deploy.servers.NodeHttp;

/**
 * The demo's experiments: one with a real effect, one A/A, and one whose traffic is deliberately
 * unbalanced against its weights (a sample ratio mismatch). Created once; on a warm restart they
 * exist already and are reused (and started or resumed if they are not running).
 */
final class DemoExperiments {

  /**
   * One simulated experiment: how its traffic really splits ({@code trafficShare} of the first
   * variant, which differs from the 50/50 weights only for the SRM one), the event its metric
   * counts, and the conversion rate per variant.
   */
  record Simulated(
      String key,
      String definition,
      String[] variants,
      double trafficShare,
      String event,
      double[] conversion,
      double meanValue) {}

  static final List<Simulated> ALL =
      List.of(
          new Simulated(
              "checkout-button",
              """
              {"key": "checkout-button", "name": "Green checkout button",
               "hypothesis": "A green checkout button makes more visitors buy.",
               "variants": [{"key": "control", "weight": 5000},
                            {"key": "green", "weight": 5000, "config": {"color": "green"}}],
               "metrics": [{"key": "purchase", "event": "purchase", "kind": "proportion"},
                           {"key": "revenue", "event": "purchase", "kind": "mean"}],
               "primaryMetric": "purchase", "sampleSizeTarget": 30000, "sequential": "msprt"}
              """,
              new String[] {"control", "green"},
              0.5,
              "purchase",
              new double[] {0.10, 0.125},
              40),
          new Simulated(
              "search-ranking-aa",
              """
              {"key": "search-ranking-aa", "name": "Search ranking A/A check",
               "hypothesis": "Identical arms: any significant difference is a false positive.",
               "variants": [{"key": "a", "weight": 5000}, {"key": "b", "weight": 5000}],
               "metrics": [{"key": "click", "event": "search_click", "kind": "proportion"}],
               "primaryMetric": "click", "sampleSizeTarget": 20000, "sequential": "msprt"}
              """,
              new String[] {"a", "b"},
              0.5,
              "search_click",
              new double[] {0.30, 0.30},
              1),
          new Simulated(
              "onboarding-flow",
              """
              {"key": "onboarding-flow", "name": "Shorter onboarding flow",
               "hypothesis": "Two steps instead of four: more sign-ups. (Its logging is broken: SRM.)",
               "variants": [{"key": "control", "weight": 5000}, {"key": "short", "weight": 5000}],
               "metrics": [{"key": "signup", "event": "signup", "kind": "proportion"}],
               "primaryMetric": "signup", "sampleSizeTarget": 20000}
              """,
              new String[] {"control", "short"},
              0.56,
              "signup",
              new double[] {0.20, 0.22},
              1));

  private DemoExperiments() {}

  /** Creates what is missing and starts what is not running; returns those that now run. */
  static List<Simulated> ensureRunning(NodeHttp http, String adminToken)
      throws IOException, InterruptedException {
    List<Simulated> running = new ArrayList<>();
    for (Simulated s : ALL) {
      NodeHttp.Reply created =
          sendPatiently(http, "POST", "/v1/experiments", adminToken, s.definition());
      if (created.status() != 201 && created.status() != 409) {
        System.err.printf(
            "Demo: cannot create %s: %d %s%n", s.key(), created.status(), created.body());
        continue;
      }
      String status =
          sendPatiently(http, "GET", "/v1/experiments/" + s.key(), adminToken, null)
              .field("status");
      String action =
          switch (status == null ? "" : status) {
            case "DRAFT" -> "start";
            case "PAUSED" -> "resume";
            default -> null;
          };
      if (action != null) {
        sendPatiently(http, "POST", "/v1/experiments/" + s.key() + "/" + action, adminToken, null);
        status = "RUNNING";
      }
      if ("RUNNING".equals(status)) {
        running.add(s);
        System.out.printf(
            "Demo: %s %s%n", s.key(), created.status() == 201 ? "created" : "exists, reused");
      } else {
        System.out.printf("Demo: %s is %s, no traffic for it%n", s.key(), status);
      }
    }
    return running;
  }

  /** As {@link NodeHttp#send}, retrying 503s and refused connections for a while (a cold node). */
  private static NodeHttp.Reply sendPatiently(
      NodeHttp http, String method, String path, String token, String json)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (true) {
      try {
        NodeHttp.Reply reply = http.send(method, path, token, json);
        if (reply.status() != 503 || System.nanoTime() > deadline) {
          return reply;
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(1000); // a retry's pause, as a client would: the launcher has no Awaitility
    }
  }
}
