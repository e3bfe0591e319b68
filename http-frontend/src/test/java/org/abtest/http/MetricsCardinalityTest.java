package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A stranger without any credential must not be able to grow {@code /metrics}: request series are
 * labelled from a fixed set of resources and methods, whatever paths and methods arrive.
 */
class MetricsCardinalityTest extends RouteTestSupport {

  private static final int PATHS = 20_000;

  @Test
  void twentyThousandDistinctUnmatchedPathsLeaveMetricsInTheSameSizeClass() throws Exception {
    // one of each first, so that the series those requests need already exist
    sendAll(List.of("/warm-up-0", "/v1/warm-up-0", "/v1/experiments/k/warm-up-0"));
    int before = scrapeSize();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < PATHS; i++) {
      paths.add(
          switch (i % 3) {
            case 0 -> "/unmatched-" + i;
            case 1 -> "/v1/unmatched-" + i + "/x";
            default -> "/v1/experiments/k" + i + "/unmatched-" + i;
          });
    }
    sendAll(paths);
    int after = scrapeSize();
    System.out.printf("/metrics: %d bytes before, %d bytes after %d paths%n", before, after, PATHS);
    assertThat(after).isLessThan(before + 4 * 1024);
  }

  @Test
  void unusualMethodsShareOneLabel() throws Exception {
    for (String method : List.of("OPTIONS", "TRACE", "PROPFIND", "PURGE")) {
      client()
          .send(
              HttpRequest.newBuilder(uri("/v1/experiments"))
                  .method(method, HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
    }
    String scrape = call("GET", "/metrics", null, null).raw().body();
    // TRACE reaches the routes (a standard method, not one we serve); the others the parser refuses
    assertThat(scrape)
        .contains("method=\"other\"")
        .doesNotContain("TRACE")
        .doesNotContain("PROPFIND")
        .doesNotContain("PURGE");
  }

  private static int scrapeSize() throws Exception {
    return call("GET", "/metrics", null, null).raw().body().length();
  }

  /** In bounded waves, so that the test neither waits request by request nor floods the server. */
  private static void sendAll(List<String> paths) {
    int wave = 64;
    for (int from = 0; from < paths.size(); from += wave) {
      List<CompletableFuture<HttpResponse<Void>>> inFlight = new ArrayList<>();
      for (String path : paths.subList(from, Math.min(paths.size(), from + wave))) {
        inFlight.add(
            client()
                .sendAsync(
                    HttpRequest.newBuilder(uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()));
      }
      inFlight.forEach(CompletableFuture::join);
    }
  }
}
