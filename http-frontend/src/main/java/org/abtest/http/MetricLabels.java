package org.abtest.http;

import java.util.Set;

/**
 * The label values of the request metrics. Every series costs memory and scrape bytes for the life
 * of the process, and a path or method is chosen by whoever sends the request, so both are mapped
 * onto fixed sets: anything outside them is {@value #OTHER}.
 */
final class MetricLabels {

  static final String OTHER = "other";

  /**
   * Resources as {@link #resource} derives them: the first segment after {@code /v1}, joined with
   * the action after a key ({@code experiments/results}), or the first segment outside {@code /v1}.
   * A new resource adds its name here; until then it is counted as {@value #OTHER}.
   */
  private static final Set<String> RESOURCES =
      Set.of(
          "root",
          "health",
          "metrics",
          "console",
          "ofrep",
          "assignments",
          "manifest",
          "events",
          "experiments",
          "experiments/results",
          "experiments/history",
          "experiments/start",
          "experiments/pause",
          "experiments/resume",
          "experiments/conclude",
          "experiments/kill",
          "experiments/archive",
          "layers",
          "holdout",
          "tokens",
          "sdk-keys",
          "environments",
          "webhooks",
          "analysis",
          "power",
          "cluster",
          "me");

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private MetricLabels() {}

  /** The resource, not the path: experiment keys and unit ids would explode the label set. */
  static String resource(String path) {
    String[] parts = path.split("/", 6);
    String resource;
    if (parts.length > 2 && parts[1].equals("v1")) {
      resource = parts.length > 4 ? parts[2] + "/" + parts[4] : parts[2];
    } else {
      resource = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "root";
    }
    return RESOURCES.contains(resource) ? resource : OTHER;
  }

  static String method(String method) {
    return METHODS.contains(method) ? method : OTHER;
  }
}
