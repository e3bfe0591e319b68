package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Java client keeps units in their first variant through a sticky weight change. */
class StickyClientTest {

  static Manifest manifest(long version, int control, int green) {
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
                null,
                10_000,
                List.of(new Variant("control", control, null), new Variant("green", green, null)),
                Map.of(),
                List.of(),
                null,
                null,
                true)),
        Map.of(),
        null);
  }

  private static AbTestClient client(StubServer stub, StickyBucketStore store) {
    AbTestClient.Builder b =
        AbTestClient.builder(stub.uri(), StubServer.KEY)
            .pollInterval(Duration.ofMillis(50))
            .logExposures(false)
            .requestTimeout(Duration.ofSeconds(2));
    return (store == null ? b : b.stickyBuckets(store)).build();
  }

  private static String variant(AbTestClient c, String unit) {
    List<Assignment> a = c.assign(unit, Map.of());
    return a.isEmpty() ? null : a.get(0).variant();
  }

  private static void awaitVersion(AbTestClient c, long version) throws Exception {
    Eventually.within(Duration.ofSeconds(5), () -> c.manifest().version() == version);
  }

  @Test
  void noAssignedUnitMovesAfterAStickyWeightChangeAndNewUnitsFollowTheNewWeights()
      throws Exception {
    for (boolean obfuscated : new boolean[] {false, true}) {
      try (StubServer stub = new StubServer()) {
        stub.obfuscated = obfuscated;
        stub.manifest.set(manifest(1, 5_000, 5_000));
        InMemoryStickyBucketStore store = new InMemoryStickyBucketStore(10_000);
        try (AbTestClient sticky = client(stub, store);
            AbTestClient plain = client(stub, null)) {
          assertThat(sticky.awaitManifest(Duration.ofSeconds(5))).isTrue();
          assertThat(plain.awaitManifest(Duration.ofSeconds(5))).isTrue();
          Map<String, String> first = new HashMap<>();
          for (int i = 0; i < 1000; i++) {
            first.put("u" + i, variant(sticky, "u" + i));
          }
          assertThat(store.size()).isEqualTo(1000);

          stub.manifest.set(manifest(2, 2_000, 8_000));
          awaitVersion(sticky, 2);
          awaitVersion(plain, 2);
          int moved = 0;
          int movedWithoutStore = 0;
          for (Map.Entry<String, String> e : first.entrySet()) {
            moved += e.getValue().equals(variant(sticky, e.getKey())) ? 0 : 1;
            movedWithoutStore += e.getValue().equals(variant(plain, e.getKey())) ? 0 : 1;
          }
          assertThat(moved).isZero();
          assertThat(movedWithoutStore).isGreaterThan(250);
          int green = 0;
          for (int i = 0; i < 5000; i++) {
            String v = variant(sticky, "new-" + i);
            assertThat(v).isEqualTo(variant(plain, "new-" + i));
            green += obfuscated || v.equals("green") ? 1 : 0;
          }
          if (!obfuscated) {
            assertThat(green).as("new units in green of 5000").isBetween(3_850, 4_150);
          }
          Optional<Assignment> one = sticky.assignment("u1", "checkout", null);
          assertThat(one).map(Assignment::variant).contains(first.get("u1"));
        }
      }
    }
  }

  @Test
  void aFileStoreKeepsTheFirstVariantsAcrossARestartOfTheClient(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("sticky.tsv");
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(manifest(1, 5_000, 5_000));
      Map<String, String> first = new HashMap<>();
      try (AbTestClient c = client(stub, new FileStickyBucketStore(file, 1000))) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 200; i++) {
          first.put("u" + i, variant(c, "u" + i));
        }
      }
      stub.manifest.set(manifest(2, 2_000, 8_000));
      try (AbTestClient c = client(stub, new FileStickyBucketStore(file, 1000))) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        awaitVersion(c, 2);
        for (Map.Entry<String, String> e : first.entrySet()) {
          assertThat(variant(c, e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
      }
    }
  }

  @Test
  void aStoreThatFailsLeavesTheHashAnswer() throws Exception {
    StickyBucketStore broken =
        new StickyBucketStore() {
          @Override
          public Optional<String> get(String experiment, String salt, String unit) {
            throw new IllegalStateException("disk gone");
          }

          @Override
          public void put(String experiment, String salt, String unit, String variant) {
            throw new IllegalStateException("disk gone");
          }
        };
    try (StubServer stub = new StubServer()) {
      stub.manifest.set(manifest(1, 2_000, 8_000));
      try (AbTestClient c = client(stub, broken)) {
        assertThat(c.awaitManifest(Duration.ofSeconds(5))).isTrue();
        for (int i = 0; i < 100; i++) {
          assertThat(variant(c, "u" + i))
              .isEqualTo(c.manifest().evaluate("u" + i, null).get(0).variant());
        }
      }
    }
  }
}
