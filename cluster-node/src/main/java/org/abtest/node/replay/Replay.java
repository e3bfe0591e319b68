package org.abtest.node.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.ingest.AggregationConfig;
import org.abtest.analytics.replay.LogReplay;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Phase;

/**
 * The replay command (docs/operations.md, "Replay"): recomputes an experiment's totals from the
 * events topic and compares them with what a running node serves. Exit code 0 when equal, 1 when
 * different (with the differences printed), 2 on a usage or connection error.
 *
 * <pre>
 * java -cp cluster-node/target/cluster-node-*-all.jar ... org.abtest.node.replay.Replay \
 *   --experiment checkout-button [--node http://127.0.0.1:8080] [--token $ABTEST_ADMIN_TOKEN] \
 *   [--wait 30]
 * </pre>
 *
 * Kafka bootstrap, topic, unit hash key and the dedup/hold bounds come from the node's config (the
 * same {@code ABTEST_*} environment), so the replay decides exactly as the live pipeline.
 */
public final class Replay {

  private Replay() {}

  /**
   * The experiment in an admin API document ({@code GET /v1/experiments/{key}}), which also carries
   * fields of the admin view only (phases, …) that are not part of {@link Experiment}.
   */
  public static Experiment experiment(JsonNode document) throws IOException {
    return Json.mapper()
        .readerFor(Experiment.class)
        .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .readValue(document);
  }

  /**
   * Every phase of the experiment in an admin API document (its {@code phases}, with their starts),
   * each with the experiment's current metrics (only the compared phase's are used for numbers; the
   * others decide where earlier exposures go), up to the current phase.
   */
  public static List<ExperimentDefinition> phases(JsonNode document, Experiment experiment) {
    List<ExperimentDefinition> out = new ArrayList<>();
    for (JsonNode p : document.path("phases")) {
      Phase phase = Json.mapper().convertValue(p, Phase.class);
      if (phase.number() <= experiment.phase()) {
        out.add(
            ExperimentDefinition.of(experiment.key(), phase.number(), experiment.metrics())
                .withStartedAt(phase.startedAt()));
      }
    }
    if (out.stream().noneMatch(d -> d.phase() == experiment.phase())) {
      out.add(ExperimentDefinition.of(experiment.key(), experiment.phase(), experiment.metrics()));
    }
    out.sort(Comparator.comparingInt(ExperimentDefinition::phase));
    return out;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new TreeMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String key = opts.get("experiment");
    if (key == null) {
      System.err.println("usage: Replay --experiment KEY [--node URL] [--token T] [--wait S]");
      System.exit(2);
    }
    String node = opts.getOrDefault("node", "http://127.0.0.1:8080");
    String token = opts.getOrDefault("token", System.getenv("ABTEST_ADMIN_TOKEN"));
    int waitSeconds = Integer.parseInt(opts.getOrDefault("wait", "30"));
    Config config = ConfigFactory.load();
    Config abtest = config.getConfig("abtest");
    HttpClient http = HttpClient.newHttpClient();
    JsonNode document = get(http, node, "/v1/experiments/" + key, token);
    Experiment experiment = experiment(document);
    ExperimentDefinition definition =
        ExperimentDefinition.of(experiment.key(), experiment.phase(), experiment.metrics());
    ExperimentTotals replayed =
        LogReplay.replay(
            abtest.getString("kafka.bootstrap"),
            abtest.getString("kafka.topic"),
            phases(document, experiment),
            experiment.phase(),
            new UnitHasher(abtest.getString("unit-hash-key")),
            AggregationConfig.unitState(abtest.getConfig("aggregation")));
    Map<String, Object> expected = numbers(replayed, experiment);
    List<String> diff = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
    do {
      JsonNode live = get(http, node, "/v1/experiments/" + key + "/results", token);
      diff = diff(expected, numbers(live));
      if (diff.isEmpty()) {
        break;
      }
      Thread.sleep(1000); // the live pipeline may still be catching up with the log
    } while (System.nanoTime() < deadline);
    if (diff.isEmpty()) {
      System.out.println("equal: " + key + " phase " + definition.phase() + " " + expected);
      System.exit(0);
    }
    System.out.println("different: " + key + " phase " + definition.phase());
    diff.forEach(d -> System.out.println("  " + d));
    System.exit(1);
  }

  /** The numbers a results document shows, flattened: what "equal" compares. */
  public static Map<String, Object> numbers(ExperimentTotals t, Experiment experiment) {
    Map<String, Object> out = new TreeMap<>();
    experiment
        .variants()
        .forEach(v -> out.put("units." + v.key(), t.unitsPerVariant().getOrDefault(v.key(), 0L)));
    experiment
        .metrics()
        .forEach(
            m ->
                experiment
                    .variants()
                    .forEach(
                        v -> {
                          MetricSums s =
                              t.metrics()
                                  .getOrDefault(m.key(), Map.of())
                                  .getOrDefault(v.key(), MetricSums.ZERO);
                          String p = "metric." + m.key() + "." + v.key() + ".";
                          out.put(p + "n", s.n());
                          out.put(p + "sum", s.sum());
                          out.put(p + "sumSquares", s.sumSquares());
                          out.put(p + "covariate.sum", s.covSum());
                          out.put(p + "covariate.sumSquares", Math.max(0, s.covSumSquares()));
                          out.put(p + "covariate.sumProducts", s.covSumProducts());
                        }));
    t.funnelSteps()
        .forEach(
            (v, steps) -> {
              for (int i = 0; i < steps.size(); i++) {
                out.put("funnel." + v + "." + i, steps.get(i));
              }
            });
    out.put("multipleExposureUnits", t.multipleExposureUnits());
    return out;
  }

  /** The same numbers read from a results document. */
  public static Map<String, Object> numbers(JsonNode doc) {
    Map<String, Object> out = new TreeMap<>();
    doc.path("variants")
        .forEach(v -> out.put("units." + v.get("variant").asText(), v.get("units").asLong()));
    doc.path("metrics")
        .forEach(
            m ->
                m.path("variants")
                    .forEach(
                        v -> {
                          String p =
                              "metric."
                                  + m.get("metric").asText()
                                  + "."
                                  + v.get("variant").asText()
                                  + ".";
                          out.put(p + "n", v.get("n").asLong());
                          out.put(p + "sum", v.get("sum").asDouble());
                          out.put(p + "sumSquares", v.get("sumSquares").asDouble());
                          // a unit's second number: a ratio's denominator, else the covariate
                          JsonNode x =
                              v.has("denominator") ? v.path("denominator") : v.path("covariate");
                          out.put(p + "covariate.sum", x.path("sum").asDouble());
                          out.put(p + "covariate.sumSquares", x.path("sumSquares").asDouble());
                          out.put(p + "covariate.sumProducts", x.path("sumProducts").asDouble());
                        }));
    doc.path("funnel")
        .forEach(
            f -> {
              JsonNode steps = f.path("steps");
              for (int i = 0; i < steps.size(); i++) {
                out.put("funnel." + f.get("variant").asText() + "." + i, steps.get(i).asLong());
              }
            });
    out.put(
        "multipleExposureUnits", doc.path("dataQuality").path("multipleExposureUnits").asLong());
    return out;
  }

  public static List<String> diff(Map<String, Object> replayed, Map<String, Object> live) {
    List<String> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(replayed.keySet());
    keys.addAll(live.keySet());
    for (String k : keys) {
      if (!Objects.equals(replayed.get(k), live.get(k))) {
        out.add(k + ": replay " + replayed.get(k) + ", live " + live.get(k));
      }
    }
    return out;
  }

  private static JsonNode get(HttpClient http, String node, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(node + path)).timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "GET " + path + " → " + response.statusCode() + " " + response.body());
    }
    return Json.mapper().readTree(response.body());
  }
}
