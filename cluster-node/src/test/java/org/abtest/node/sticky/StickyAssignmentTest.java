package org.abtest.node.sticky;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.node.assignment.LocalAssignmentService;
import org.abtest.node.assignment.ManifestExposureCheck;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** The node's assignments and exposure checks with units' stored first variants. */
class StickyAssignmentTest {

  private static final String SALT = "checkout-salt";
  private static final EventLimits LIMITS =
      new EventLimits(
          Duration.ofDays(7),
          Duration.ofMinutes(10),
          128,
          256,
          128,
          64,
          8,
          16 * 1024,
          4L * 1024 * 1024,
          1024 * 1024 - 128);

  private static Manifest manifest(long version, boolean sticky, int control, int green) {
    return new Manifest(
        version,
        List.of(
            new ManifestExperiment(
                "checkout",
                ExperimentType.EXPERIMENT,
                1,
                SALT,
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
                sticky)),
        Map.of(),
        null);
  }

  private final ManifestHolder holder = new ManifestHolder();
  private final MemoryStickyStore store = new MemoryStickyStore();
  private final LocalAssignmentService service =
      new LocalAssignmentService(
          holder, null, LIMITS, Clock.systemUTC(), new PrometheusRegistry(), store);

  private String variant(String unit) {
    service.prepare(Environments.DEFAULT, unit).toCompletableFuture().join();
    List<Assignment> a =
        service.assign(Environments.DEFAULT, unit, null, false, Map.of(), false).assignments();
    return a.isEmpty() ? null : a.get(0).variant();
  }

  @Test
  void afterAStickyWeightChangeNoAssignedUnitMovesAndNewUnitsFollowTheNewWeights() {
    holder.offer(manifest(1, true, 5_000, 5_000));
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      first.put("user-" + i, variant("user-" + i));
    }
    assertThat(store.rows).hasSize(1000);
    holder.offer(manifest(2, true, 2_000, 8_000));
    int moved = 0;
    for (int i = 0; i < 1000; i++) {
      moved += first.get("user-" + i).equals(variant("user-" + i)) ? 0 : 1;
    }
    assertThat(moved).isZero();
    int green = 0;
    for (int i = 0; i < 5000; i++) {
      green += "green".equals(variant("new-" + i)) ? 1 : 0;
    }
    assertThat(green).isBetween(3_850, 4_150);
  }

  @Test
  void withoutStickyExperimentsNoUnitIsReadAndNothingIsStored() {
    holder.offer(manifest(1, false, 5_000, 5_000));
    for (int i = 0; i < 100; i++) {
      assertThat(service.prepare(Environments.DEFAULT, "u" + i).toCompletableFuture()).isDone();
      variant("u" + i);
    }
    assertThat(store.loads).isZero();
    assertThat(store.rows).isEmpty();
  }

  @Test
  void whenTheStoreIsDownUnitsGetTheHashAnswerAndNothingIsStored() {
    holder.offer(manifest(1, true, 2_000, 8_000));
    store.down = true;
    for (int i = 0; i < 200; i++) {
      String unit = "user-" + i;
      String hashed = holder.compiled().evaluate(unit, null).get(0).variant();
      store.store("checkout", SALT, unit, hashed.equals("green") ? "control" : "green");
      assertThat(variant(unit)).isEqualTo(hashed);
    }
    assertThat(store.writes).isZero();
  }

  @Test
  void anExposureOfTheStoredVariantWaitsForTheUnitsRowsAndIsThenValid() {
    holder.offer(manifest(1, true, 2_000, 8_000));
    ManifestExposureCheck check = new ManifestExposureCheck(holder, true, store);
    String unit = null;
    String hashed = null;
    for (int i = 0; unit == null; i++) {
      hashed = holder.compiled().evaluate("user-" + i, null).get(0).variant();
      if (hashed.equals("green")) {
        unit = "user-" + i;
      }
    }
    store.store("checkout", SALT, unit, "control");

    assertThat(check.check(Environments.DEFAULT, "checkout", "control", unit, null, null, false))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
    var verdict = check.check(Environments.DEFAULT, "checkout", "control", unit, null, null, true);
    assertThat(verdict).isInstanceOf(ExposureCheck.Pending.class);
    ((ExposureCheck.Pending) verdict).ready().toCompletableFuture().join();
    assertThat(check.check(Environments.DEFAULT, "checkout", "control", unit, null, null, false))
        .isEqualTo(new ExposureCheck.Valid("checkout", "control"));
    // the bucket's variant is no longer the unit's, and the check says so without waiting
    assertThat(check.check(Environments.DEFAULT, "checkout", "green", unit, null, null, true))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void anExposureOfAUnitOnlySdksEvaluateKeepsItsFirstVariantSoItsSdkStaysValidAfterAWeightChange() {
    holder.offer(manifest(1, true, 5_000, 5_000));
    ManifestExposureCheck check = new ManifestExposureCheck(holder, true, store);
    var half =
        org.abtest.protocol.assignment.CompiledManifest.compile(manifest(1, true, 5_000, 5_000));
    var mostly =
        org.abtest.protocol.assignment.CompiledManifest.compile(manifest(2, true, 2_000, 8_000));
    String unit = null;
    String first = null;
    for (int i = 0; unit == null; i++) {
      String u = "sdk-user-" + i;
      String before = half.evaluate(u, null).get(0).variant();
      if (!before.equals(mostly.evaluate(u, null).get(0).variant())) {
        unit = u;
        first = before;
      }
    }
    // its SDK's first exposure, under 50/50: valid, and its row is written once its rows are read
    assertThat(check.check(Environments.DEFAULT, "checkout", first, unit, null, null, true))
        .isEqualTo(new ExposureCheck.Valid("checkout", first));
    assertThat(store.stored("checkout", SALT, unit)).isEqualTo(first);
    // after 20/80 the SDK still sends its first variant, which stays the unit's
    holder.offer(manifest(3, true, 2_000, 8_000));
    store.loaded.clear(); // another node, or the cache expired: read again
    var verdict = check.check(Environments.DEFAULT, "checkout", first, unit, null, null, true);
    assertThat(verdict).isInstanceOf(ExposureCheck.Pending.class);
    ((ExposureCheck.Pending) verdict).ready().toCompletableFuture().join();
    assertThat(check.check(Environments.DEFAULT, "checkout", first, unit, null, null, false))
        .isEqualTo(new ExposureCheck.Valid("checkout", first));
  }

  @Test
  void anExposureOfTheBucketsVariantIsValidAtOnceAndKeepsTheUnitsFirstVariant() {
    holder.offer(manifest(1, true, 5_000, 5_000));
    ManifestExposureCheck check = new ManifestExposureCheck(holder, true, store);
    for (int i = 0; i < 200; i++) {
      String unit = "user-" + i;
      String hashed = holder.compiled().evaluate(unit, null).get(0).variant();
      assertThat(check.check(Environments.DEFAULT, "checkout", hashed, unit, null, null, true))
          .isEqualTo(new ExposureCheck.Valid("checkout", hashed));
    }
    // the answer never waits; the rows are read after it, to keep each unit's first variant
    assertThat(store.rows).hasSize(200);
  }
}
