package org.abtest.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
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
 * with doubling backoff, then dropped and counted.
 */
final class EventSender {

  private static final Logger log = Logger.getLogger(EventSender.class.getName());

  private final ClientSettings settings;
  private final HttpClient http;
  private final BlockingQueue<ObjectNode> queue;
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong sent = new AtomicLong();

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
      int status = post(bytes);
      if (status == 202 || status == 200) {
        sent.addAndGet(batch.size());
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

  /** The response status, or -1 when the server could not be reached. */
  private int post(byte[] body) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(settings.resolve("/v1/events"))
              .timeout(settings.requestTimeout())
              .header("Authorization", "Bearer " + settings.sdkKey())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      log.log(Level.FINE, "events not sent", e);
      return -1;
    }
  }
}
