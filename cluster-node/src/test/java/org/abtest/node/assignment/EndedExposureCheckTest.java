package org.abtest.node.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkKeys;
import org.junit.jupiter.api.Test;

/**
 * An exposure made before its experiment was paused, concluded or killed, that reaches the node
 * after the change (a batch in flight, an SDK flushing late), is judged as the experiment stood
 * when it was made, within a bounded grace; one made after the change is not.
 */
class EndedExposureCheckTest {

  private static final Instant PAUSED_AT = Instant.parse("2026-12-02T10:00:00Z");

  private final AtomicLong now = new AtomicLong(PAUSED_AT.toEpochMilli());
  private final ManifestHolder holder =
      new ManifestHolder(new EndedExperiments.Settings(Duration.ofMinutes(10), 1L << 20), now::get);
  private final ManifestExposureCheck check = new ManifestExposureCheck(holder);

  private static ManifestExperiment checkout() {
    return checkout(1, "salt-c");
  }

  private static ManifestExperiment checkout(int phase, String salt) {
    return new ManifestExperiment(
        "checkout",
        ExperimentType.EXPERIMENT,
        phase,
        salt,
        null,
        null,
        false,
        null,
        10_000,
        List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)),
        Map.of("qa-user", "green", "qa-other", phase == 1 ? "green" : "control"),
        List.of(),
        null,
        null);
  }

  private static Manifest manifest(long version, ManifestExperiment... live) {
    return new Manifest(version, List.of(live), Map.of(), null);
  }

  private void pause() {
    holder.offer(manifest(1, checkout()));
    holder.offer(manifest(2));
  }

  @Test
  void anExposureMadeBeforeThePauseAndArrivingAfterItIsJudgedAsItStoodThen() {
    pause();
    now.addAndGet(Duration.ofSeconds(30).toMillis());
    Instant before = PAUSED_AT.minusSeconds(2);
    assertThat(check.check("checkout", "green", "qa-user", null, before))
        .isEqualTo(new ExposureCheck.Valid("checkout", "green"));
    assertThat(check.check("checkout", "control", "qa-user", null, before))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void anExposureMadeAfterThePauseIsUnknown() {
    pause();
    assertThat(check.check("checkout", "green", "qa-user", null, PAUSED_AT.plusMillis(1)))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
    assertThat(check.check("checkout", "green", "qa-user", null, null))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
  }

  @Test
  void pastTheGraceEvenAnExposureFromBeforeThePauseIsUnknown() {
    pause();
    now.addAndGet(Duration.ofMinutes(10).plusSeconds(1).toMillis());
    assertThat(check.check("checkout", "green", "qa-user", null, PAUSED_AT.minusSeconds(1)))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
    assertThat(holder.ended().size()).isZero();
  }

  @Test
  void aHashedKeyFromAnObfuscatedSdkKeyIsRevealedAgainstTheManifestOfThen() {
    pause();
    String hashed = SdkKeys.experiment("salt-c", "checkout");
    assertThat(
            check.check(
                hashed,
                SdkKeys.variant("salt-c", "green"),
                "qa-user",
                null,
                PAUSED_AT.minusSeconds(1)))
        .isEqualTo(new ExposureCheck.Valid("checkout", "green"));
  }

  @Test
  void aResumedExperimentIsJudgedByTheCurrentManifestAndForgottenAsEnded() {
    pause();
    holder.offer(manifest(3, checkout()));
    assertThat(holder.ended().size()).isZero();
    assertThat(check.check("checkout", "green", "qa-user", null, PAUSED_AT.plusSeconds(5)))
        .isEqualTo(new ExposureCheck.Valid("checkout", "green"));
  }

  @Test
  void anExposureMadeBeforeANewPhaseIsJudgedByThePhaseOfThenAndALaterOneByTheNewPhase() {
    holder.offer(manifest(1, checkout()));
    holder.offer(manifest(2, checkout(2, "salt-c2")));
    assertThat(check.check("checkout", "green", "qa-other", null, PAUSED_AT.minusSeconds(1)))
        .isEqualTo(new ExposureCheck.Valid("checkout", "green"));
    assertThat(check.check("checkout", "control", "qa-other", null, PAUSED_AT.plusSeconds(1)))
        .isEqualTo(new ExposureCheck.Valid("checkout", "control"));
    assertThat(check.check("checkout", "green", "qa-other", null, PAUSED_AT.plusSeconds(1)))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void theManifestsHeldStayWithinTheirByteBudgetOldestFirst() {
    ManifestHolder small =
        new ManifestHolder(new EndedExperiments.Settings(Duration.ofMinutes(10), 1), now::get);
    small.offer(manifest(1, checkout()));
    small.offer(manifest(2));
    assertThat(small.ended().size()).isZero();
    assertThat(small.ended().bytes()).isZero();
  }
}
