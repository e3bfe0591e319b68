package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.abtest.protocol.Json;

/**
 * Exposure and metric events on their way to {@code POST /v1/events}: a bounded queue that the
 * caller's thread only offers to (a full queue drops and counts, never blocks), drained in batches
 * by the client's background thread. A batch that meets a 503, a 5xx or a network error is retried
 * with doubling backoff, then dropped and counted. The events a 202 lists in {@code rejected}
 * (API.md, Events) are counted as failed, and as rejected, not as sent; each such batch is logged
 * once.
 */
final class EventSender {

  private static final Logger log = Logger.getLogger(EventSender.class.getName());

  private final ClientSettings settings;
  private final HttpClient http;
  private final BlockingQueue<ObjectNode> queue;
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong sent = new AtomicLong();

  /** Events the server refused one by one in a 202; counted in {@link #failed} too. */
  final AtomicLong rejected = new AtomicLong();

  /** How many distinct rejection reasons a batch's warning names at most. */
  static final int REASONS_LOGGED = 5;

  /** A response status and body; status -1 when the server could not be reached. */
  private record Response(int status, byte[] body) {}

  EventSender(ClientSettings settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
  }

  void offer(ObjectNode event) {
    if (!queue.offer(event)) {
      dropped.incrementAndGet();
    }
  }

  /** Sends everything queued now, batch by batch; runs on the background thread only. */
  synchronized void flush() {
    List<ObjectNode> batch = new ArrayList<>(settings.batchSize());
    while (queue.drainTo(batch, settings.batchSize()) > 0) {
      send(batch);
      batch.clear();
    }
  }

  private void send(List<ObjectNode> batch) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode events = body.putArray("events");
    batch.forEach(events::add);
    byte[] bytes;
    try {
      bytes = Json.mapper().writeValueAsBytes(body);
    } catch (Exception e) {
      failed.addAndGet(batch.size());
      return;
    }
    long backoff = settings.retryBackoff().toMillis();
    for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
      Response response = post(bytes);
      int status = response.status();
      if (status == 202 || status == 200) {
        int refused = rejected(response.body(), batch.size());
        sent.addAndGet(batch.size() - refused);
        failed.addAndGet(refused);
        rejected.addAndGet(refused);
        return;
      }
      if (status >= 400 && status < 500 && status != 429) {
        // The server refused the batch itself; resending it would be refused again.
        log.warning("events refused with status " + status + "; " + batch.size() + " dropped");
        failed.addAndGet(batch.size());
        return;
      }
      if (attempt < settings.maxRetries()) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        backoff *= 2;
      }
    }
    failed.addAndGet(batch.size());
  }

  /**
   * How many of the batch's events the accepting response lists in {@code rejected}, the reasons
   * logged at WARN once (bounded). A body that cannot be read counts none: the server took the
   * batch.
   */
  private static int rejected(byte[] body, int batchSize) {
    JsonNode items;
    try {
      items = body.length == 0 ? null : Json.mapper().readTree(body).get("rejected");
    } catch (Exception e) {
      log.log(Level.FINE, "events accepted with an unreadable body", e);
      return 0;
    }
    if (items == null || !items.isArray() || items.isEmpty()) {
      return 0;
    }
    int refused = Math.min(items.size(), batchSize);
    // grouped by code and field, each with its first message: bounded whatever the batch holds
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, String> examples = new LinkedHashMap<>();
    int unnamed = 0;
    for (JsonNode item : items) {
      JsonNode error = item.path("error");
      String field = error.path("field").asText("");
      String reason =
          error.path("code").asText("unknown") + (field.isEmpty() ? "" : " (" + field + ")");
      if (counts.containsKey(reason) || counts.size() < REASONS_LOGGED) {
        counts.merge(reason, 1, Integer::sum);
        examples.putIfAbsent(reason, shortened(error.path("message").asText("")));
      } else {
        unnamed++;
      }
    }
    StringBuilder text = new StringBuilder();
    counts.forEach(
        (reason, n) -> {
          text.append(text.length() == 0 ? "" : "; ").append(n).append(" × ").append(reason);
          if (!examples.get(reason).isEmpty()) {
            text.append(", e.g. ").append(examples.get(reason));
          }
        });
    if (unnamed > 0) {
      text.append("; ").append(unnamed).append(" for other reasons");
    }
    log.warning(refused + " of " + batchSize + " events rejected by the server: " + text);
    return refused;
  }

  private static String shortened(String message) {
    return message.length() > 120 ? message.substring(0, 120) + "…" : message;
  }

  private Response post(byte[] body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(settings.resolve("/v1/events"))
              .timeout(settings.requestTimeout())
              .header("Authorization", "Bearer " + settings.sdkKey())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      return new Response(response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(-1, new byte[0]);
    } catch (Exception e) {
      log.log(Level.FINE, "events not sent", e);
      return new Response(-1, new byte[0]);
    }
  }
}
