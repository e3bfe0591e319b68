package org.abtest.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.manifest.SdkManifest;

/**
 * Keeps the client's compiled manifest current on one background thread: fetch {@code /v1/manifest}
 * with ETag, then follow {@code /v1/manifest/stream}; whenever the stream fails, poll with ETag at
 * the poll interval and try the stream again. Whatever goes wrong, the last good manifest stays in
 * use, and an older version never replaces a newer one.
 */
final class ManifestSync implements Runnable {

  private static final Logger log = Logger.getLogger(ManifestSync.class.getName());

  /** Unknown fields are skipped, so a newer server's manifest still loads in an older client. */
  static final ObjectMapper LENIENT =
      Json.mapper().copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final ClientSettings settings;
  private final HttpClient http;
  private final AtomicReference<CompiledManifest> current;
  private final AtomicLong lastLineAt = new AtomicLong();
  private volatile String etag;
  private volatile Stream<String> openStream;
  private volatile boolean closed;
  final AtomicLong fetchFailures = new AtomicLong();

  ManifestSync(
      ClientSettings settings, HttpClient http, AtomicReference<CompiledManifest> current) {
    this.settings = settings;
    this.http = http;
    this.current = current;
  }

  @Override
  public void run() {
    while (!closed) {
      poll();
      if (settings.stream() && !closed) {
        follow();
      }
      sleep(settings.pollInterval().toMillis());
    }
  }

  /** One conditional GET; true when the server answered (200 or 304). */
  boolean poll() {
    try {
      HttpRequest.Builder request = request("/v1/manifest");
      if (etag != null) {
        request.header("If-None-Match", etag);
      }
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 200) {
        accept(LENIENT.readValue(response.body(), SdkManifest.class));
        etag = response.headers().firstValue("ETag").orElse(null);
        return true;
      }
      if (response.statusCode() != 304) {
        fetchFailures.incrementAndGet();
      }
      return response.statusCode() == 304;
    } catch (IOException | RuntimeException e) {
      fetchFailures.incrementAndGet();
      log.log(Level.FINE, "manifest poll failed", e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return false;
    }
  }

  /** Reads server-sent events until the stream ends, fails or goes silent. */
  private void follow() {
    try {
      HttpRequest.Builder request =
          request("/v1/manifest/stream").header("Accept", "text/event-stream");
      long have = current.get().version();
      if (have > 0) {
        request.header("Last-Event-ID", Long.toString(have));
      }
      HttpResponse<Stream<String>> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        response.body().close();
        return;
      }
      openStream = response.body();
      lastLineAt.set(System.nanoTime());
      StringBuilder data = new StringBuilder();
      String event = null;
      Iterator<String> lines = response.body().iterator();
      while (!closed && lines.hasNext()) {
        String line = lines.next();
        lastLineAt.set(System.nanoTime());
        if (line.isEmpty()) {
          if ("manifest".equals(event) && data.length() > 0) {
            accept(LENIENT.readValue(data.toString(), SdkManifest.class));
          }
          data.setLength(0);
          event = null;
        } else if (line.startsWith("data:")) {
          data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      log.log(Level.FINE, "manifest stream ended", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    } finally {
      closeStream();
    }
  }

  /** Called by the client's scheduler: a stream silent past the idle timeout is cut. */
  void checkIdle() {
    if (openStream != null
        && System.nanoTime() - lastLineAt.get() > settings.streamIdleTimeout().toNanos()) {
      closeStream();
    }
  }

  private void closeStream() {
    Stream<String> s = openStream;
    openStream = null;
    if (s != null) {
      try {
        s.close();
      } catch (RuntimeException ignored) {
        // closing a broken stream can fail; it is being abandoned either way
      }
    }
  }

  private void accept(SdkManifest manifest) {
    CompiledManifest compiled = CompiledManifest.compile(manifest);
    current.accumulateAndGet(compiled, (old, next) -> next.version() >= old.version() ? next : old);
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(settings.resolve(path))
        .timeout(settings.requestTimeout())
        .header("Authorization", "Bearer " + settings.sdkKey());
  }

  void close() {
    closed = true;
    closeStream();
  }

  private void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }
}
