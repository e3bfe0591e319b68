package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

class AbTestClientTest {

  static Manifest manifest(long version, int coverage) {
    JsonNode targeting = Json.mapper().createObjectNode().put("country", "US");
    return new Manifest(
        version,
        List.of(
            new ManifestExperiment(
                "checkout",
                ExperimentType.EXPERIMENT,
                1,
                "salt-1",
                null,
                null,
                false,
                targeting,
                coverage,
                List.of(
                    new Variant("control", 5000, null),
                    new Variant(
                        "green", 5000, Json.mapper().createObjectNode().put("value", true))),
                Map.of(),
                List.of(),
                null,
                null)),
        Map.of(),
        null);
  }

  private static AbTestClient.Builder client(StubServer stub) {
    return AbTestClient.builder(stub.uri(), StubServer.KEY)
        .pollInterval(Duration.ofMillis(50))
        .flushInterval(Duration.ofMillis(50))
        .requestTimeout(Duration.ofSeconds(2));
  }

  @Test
  void evaluatesLocallyExactlyAsTheCompiledManifestDoes() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(manifest(3, 10_000));
      try (AbTestClient c = client(stub).logExposures(false).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        CompiledManifest reference = CompiledManifest.compile(manifest(3, 10_000));
        for (int i = 0; i < 2000; i++) {
          Map<String, String> attrs = Map.of("country", i % 3 == 0 ? "FR" : "US");
          assertThat(c.assign("u" + i, attrs))
              .isEqualTo(reference.evaluate("u" + i, Json.mapper().valueToTree(attrs)));
        }
      }
    }
  }

  @Test
  void streamDeliversNewManifestsWithoutPolling() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(manifest(1, 10_000));
      try (AbTestClient c = client(stub).pollInterval(Duration.ofMinutes(5)).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        stub.manifest.set(manifest(2, 0));
        Eventually.within(Duration.ofSeconds(5), () -> c.manifestVersion() == 2);
        assertThat(stub.manifestGets.get()).isEqualTo(1);
        assertThat(c.assign("u1", Map.of("country", "US"))).isEmpty();
      }
    }
  }

  @Test
  void whenTheStreamFailsItPollsWithTheETag() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.streamBroken = true;
      stub.manifest.set(manifest(1, 10_000));
      try (AbTestClient c = client(stub).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        Eventually.within(Duration.ofSeconds(5), () -> stub.ifNoneMatch.contains("\"1\""));
        stub.manifest.set(manifest(2, 10_000));
        Eventually.within(Duration.ofSeconds(5), () -> c.manifestVersion() == 2);
      }
    }
  }

  @Test
  void keepsServingTheLastGoodManifestWhenTheServerIsGone() throws Exception {
    StubServer stub = new StubServer();
    stub.manifest.set(manifest(4, 10_000));
    try (AbTestClient c = client(stub).logExposures(false).build()) {
      assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
      var before = c.assign("u7", Map.of("country", "US"));
      stub.close();
      Eventually.within(Duration.ofSeconds(5), () -> c.stats().manifestFetchFailures() > 2);
      assertThat(c.manifestVersion()).isEqualTo(4);
      assertThat(c.assign("u7", Map.of("country", "US"))).isEqualTo(before).hasSize(1);
    }
  }

  @Test
  void beforeAnyManifestEveryoneGetsDefaultsAndNothingThrows() throws Exception {
    try (AbTestClient c =
        AbTestClient.builder(java.net.URI.create("http://127.0.0.1:9"), "k")
            .requestTimeout(Duration.ofMillis(200))
            .build()) {
      assertThat(c.assign("u", Map.of("country", "US"))).isEmpty();
      assertThat(c.assign(null, (JsonNode) null)).isEmpty();
      assertThat(c.variant("u", "checkout", null)).isEmpty();
      c.track("u", "purchase", 1.0);
    }
  }

  @Test
  void exposuresAndMetricEventsArriveInBatchesAndA503IsRetried() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(manifest(1, 10_000));
      stub.eventFailuresToGive.set(2);
      try (AbTestClient c = client(stub).batchSize(100).retries(5, Duration.ofMillis(10)).build()) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 150; i++) {
          c.assign("u" + i, Map.of("country", "US"));
          c.track("u" + i, "purchase", i);
        }
        Eventually.within(Duration.ofSeconds(10), () -> stub.eventsReceived() == 300);
        assertThat(stub.batches)
            .allSatisfy(b -> assertThat(b.get("events").size()).isLessThanOrEqualTo(100));
        JsonNode first = stub.batches.get(0).get("events").get(0);
        assertThat(first.get("type").asText()).isIn("exposure", "metric");
        assertThat(first.get("eventId").asText()).isNotEmpty();
        // the stub counts a batch before its 202 reaches the client, which counts it after
        Eventually.within(Duration.ofSeconds(5), () -> c.stats().eventsSent() == 300);
        assertThat(c.stats().eventsDropped()).isZero();
      }
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(manifest(1, 10_000));
      try (AbTestClient c =
          client(stub).queueCapacity(10).flushInterval(Duration.ofHours(1)).build()) {
        for (int i = 0; i < 50; i++) {
          c.track("u", "click", 1);
        }
        assertThat(c.stats().eventsDropped()).isEqualTo(40);
        c.flush(Duration.ofSeconds(5));
        assertThat(stub.eventsReceived()).isEqualTo(10);
      }
    }
  }
}
