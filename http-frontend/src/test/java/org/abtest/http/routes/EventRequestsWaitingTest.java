package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.events.TrackedEvent;
import org.junit.jupiter.api.Test;

/** Exposures the check cannot judge yet wait for it, then are accepted or rejected in place. */
class EventRequestsWaitingTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);

  /** Units "kept-*" wait for a read; after it, "kept-green" is valid in green, others are not. */
  private static final class WaitingCheck implements ExposureCheck {
    final CompletableFuture<Void> read = new CompletableFuture<>();
    int waited;

    @Override
    public Verdict check(
        String experiment, String variant, String unit, JsonNode attributes, Instant ts) {
      return check("production", experiment, variant, unit, attributes, ts, false);
    }

    @Override
    public Verdict check(
        String environment,
        String experiment,
        String variant,
        String unit,
        JsonNode attributes,
        Instant ts,
        boolean mayWait) {
      if (!unit.startsWith("kept-")) {
        return new Valid(experiment, variant);
      }
      if (mayWait) {
        waited++;
        return new Pending(read);
      }
      return unit.equals("kept-" + variant)
          ? new Valid(experiment, variant)
          : Refused.INVALID_VARIANT;
    }
  }

  private static String exposure(String id, String unit, String variant) {
    return "{\"eventId\": \""
        + id
        + "\", \"type\": \"exposure\", \"unit\": \""
        + unit
        + "\", \"experiment\": \"e\", \"variant\": \""
        + variant
        + "\", \"ts\": \"2026-11-22T23:59:00Z\"}";
  }

  @Test
  void waitingExposuresAreJudgedOnceTheReadCompletesAndRejectionsKeepTheirIndexOrder()
      throws Exception {
    WaitingCheck check = new WaitingCheck();
    EventRequests.Checks checks =
        new EventRequests.Checks(CLOCK, TestEventLimits.STANDARD, check, "production");
    String body =
        "{\"events\": ["
            + String.join(
                ", ",
                exposure("a", "kept-blue", "green"),
                "{\"eventId\": \"b\"}",
                exposure("c", "plain", "green"),
                exposure("d", "kept-green", "green"))
            + "]}";
    EventRequests.Batch parsed = EventRequests.parse(body.getBytes(StandardCharsets.UTF_8), checks);
    assertThat(parsed.waiting()).hasSize(2);
    assertThat(parsed.accepted()).extracting(TrackedEvent::eventId).containsExactly("c");

    var settled = EventRequests.settled(parsed, checks).toCompletableFuture();
    assertThat(settled).isNotDone();
    check.read.complete(null);
    EventRequests.Batch batch = settled.get(5, TimeUnit.SECONDS);
    assertThat(batch.waiting()).isEmpty();
    assertThat(batch.accepted()).extracting(TrackedEvent::eventId).containsExactly("c", "d");
    assertThat(batch.rejected()).extracting(EventRequests.Rejection::index).containsExactly(0, 1);
    assertThat(batch.rejected().get(0).error().code()).isEqualTo("invalid_variant");
    assertThat(check.waited).isEqualTo(2);
  }

  @Test
  void aBatchWithNothingWaitingIsSettledAtOnce() {
    WaitingCheck check = new WaitingCheck();
    EventRequests.Checks checks =
        new EventRequests.Checks(CLOCK, TestEventLimits.STANDARD, check, "production");
    EventRequests.Batch parsed =
        EventRequests.parse(
            ("{\"events\": [" + exposure("c", "plain", "green") + "]}")
                .getBytes(StandardCharsets.UTF_8),
            checks);
    assertThat(EventRequests.settled(parsed, checks).toCompletableFuture())
        .isCompletedWithValue(parsed);
  }
}
