package org.abtest.multijvm;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** One value of a node's Prometheus text (GET /metrics); -1 when the node does not answer. */
final class NodeMetrics {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private NodeMetrics() {}

  /** The sample of {@code name} without labels (a counter's {@code _total}, a gauge). */
  static double value(NodeJvm node, String name) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/metrics"))
            .timeout(Duration.ofSeconds(10))
            .header("Authorization", "Bearer " + NodeJvm.ADMIN)
            .build();
    try {
      String text = CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith(name + " ")) {
          return Double.parseDouble(line.substring(name.length() + 1).trim());
        }
      }
      return -1;
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
