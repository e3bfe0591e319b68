package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.abtest.protocol.Json;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.SdkView;

/** A stand-in for the node's manifest and events endpoints, for the client's own unit tests. */
final class StubServer implements AutoCloseable {

  static final String KEY = "sdk-test-key";

  final AtomicReference<Manifest> manifest = new AtomicReference<>();

  /** Serve the obfuscated SDK view, as the node does for an obfuscated SDK key. */
  volatile boolean obfuscated;

  final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  final List<JsonNode> batches = new CopyOnWriteArrayList<>();
  final AtomicInteger manifestGets = new AtomicInteger();
  final AtomicInteger eventFailuresToGive = new AtomicInteger();
  volatile boolean streamBroken;

  /** The body of the 202 for a batch (API.md, Events), or null for none. */
  volatile Function<JsonNode, JsonNode> eventsReply = batch -> null;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();

  StubServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/v1/manifest/stream", this::stream);
    server.createContext("/v1/manifest", this::manifest);
    server.createContext("/v1/events", this::events);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private boolean authorized(HttpExchange x) throws IOException {
    if (!("Bearer " + KEY).equals(x.getRequestHeaders().getFirst("Authorization"))) {
      x.sendResponseHeaders(401, -1);
      x.close();
      return false;
    }
    return true;
  }

  private void manifest(HttpExchange x) throws IOException {
    if (!authorized(x)) {
      return;
    }
    manifestGets.incrementAndGet();
    Manifest m = manifest.get();
    String etag = "\"" + m.version() + "\"";
    String seen = x.getRequestHeaders().getFirst("If-None-Match");
    if (seen != null) {
      ifNoneMatch.add(seen);
    }
    x.getResponseHeaders().add("ETag", etag);
    if (etag.equals(seen)) {
      x.sendResponseHeaders(304, -1);
      x.close();
      return;
    }
    byte[] body = Json.mapper().writeValueAsBytes(SdkView.of(m, obfuscated));
    x.sendResponseHeaders(200, body.length);
    x.getResponseBody().write(body);
    x.close();
  }

  private void stream(HttpExchange x) throws IOException {
    if (!authorized(x)) {
      return;
    }
    if (streamBroken) {
      x.sendResponseHeaders(503, -1);
      x.close();
      return;
    }
    x.getResponseHeaders().add("Content-Type", "text/event-stream");
    x.sendResponseHeaders(200, 0);
    long sent = -1;
    try (OutputStream out = x.getResponseBody()) {
      while (!streamBroken) {
        Manifest m = manifest.get();
        if (m.version() > sent) {
          sent = m.version();
          String data = Json.mapper().writeValueAsString(SdkView.of(m, obfuscated));
          out.write(
              ("event: manifest\nid: " + sent + "\ndata: " + data + "\n\n")
                  .getBytes(StandardCharsets.UTF_8));
        } else {
          out.write(":\n".getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        Thread.sleep(20);
      }
    } catch (IOException | InterruptedException e) {
      // the client went away
    }
  }

  private void events(HttpExchange x) throws IOException {
    if (!authorized(x)) {
      return;
    }
    if (eventFailuresToGive.getAndDecrement() > 0) {
      x.sendResponseHeaders(503, -1);
      x.close();
      return;
    }
    JsonNode batch = Json.mapper().readTree(x.getRequestBody());
    batches.add(batch);
    JsonNode reply = eventsReply.apply(batch);
    if (reply == null) {
      x.sendResponseHeaders(202, -1);
    } else {
      byte[] body = Json.mapper().writeValueAsBytes(reply);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(202, body.length);
      x.getResponseBody().write(body);
    }
    x.close();
  }

  int eventsReceived() {
    return batches.stream().mapToInt(b -> b.get("events").size()).sum();
  }

  @Override
  public void close() {
    streamBroken = true;
    server.stop(0);
    executor.shutdownNow();
  }
}
