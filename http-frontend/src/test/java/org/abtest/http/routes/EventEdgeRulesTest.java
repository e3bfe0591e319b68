package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.events.TrackedEvent;
import org.junit.jupiter.api.Test;

/** The rules an event of the right types must also keep, each at and just past its limit. */
class EventEdgeRulesTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final EventLimits LIMITS = TestEventLimits.STANDARD;

  // Unit "u-b" is in variant "b" of "exp", every other unit in "a"; "exp" is canonically "exp-1".
  private static final ExposureCheck CHECK =
      (experiment, variant, unit, attributes, ts) -> {
        if (!experiment.equals("exp")) {
          return ExposureCheck.Refused.UNKNOWN_EXPERIMENT;
        }
        String assigned = unit.equals("u-b") ? "b" : "a";
        return assigned.equals(variant)
            ? new ExposureCheck.Valid("exp-1", variant)
            : ExposureCheck.Refused.INVALID_VARIANT;
      };

  private static EventRequests.Batch parse(EventLimits limits, String... events) {
    String body = "{\"events\": [" + String.join(",", events) + "]}";
    return EventRequests.parse(
        body.getBytes(StandardCharsets.UTF_8),
        new EventRequests.Checks(Clock.fixed(NOW, ZoneOffset.UTC), limits, CHECK));
  }

  private static EventRequests.ErrorBody only(EventLimits limits, String event) {
    EventRequests.Batch batch = parse(limits, event);
    assertThat(batch.accepted()).as(event).isEmpty();
    assertThat(batch.rejected()).as(event).hasSize(1);
    return batch.rejected().get(0).error();
  }

  private static void accepted(String event) {
    EventRequests.Batch batch = parse(LIMITS, event);
    assertThat(batch.rejected()).as(event).isEmpty();
    assertThat(batch.accepted()).hasSize(1);
  }

  private static String metric(String ts) {
    return metric(q("e-1"), q("u-1"), q("buy"), ts, null);
  }

  private static String metric(String id, String unit, String event, String ts, String attrs) {
    return "{\"eventId\": "
        + id
        + ", \"type\": \"metric\", \"unit\": "
        + unit
        + ", \"event\": "
        + event
        + (ts == null ? "" : ", \"ts\": \"" + ts + "\"")
        + (attrs == null ? "" : ", \"attributes\": " + attrs)
        + "}";
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  private static String exposure(String unit, String experiment, String variant) {
    return "{\"eventId\": \"x-1\", \"type\": \"exposure\", \"unit\": "
        + q(unit)
        + ", \"experiment\": "
        + q(experiment)
        + ", \"variant\": "
        + q(variant)
        + "}";
  }

  @Test
  void aTsAtEitherEdgeOfTheWindowIsAcceptedAndOneNanosecondPastIsRefusedNamingTs() {
    accepted(metric(NOW.minus(LIMITS.maxLateness()).toString()));
    accepted(metric(NOW.plus(LIMITS.maxSkew()).toString()));
    accepted(metric(null));
    for (Instant outside :
        List.of(
            NOW.minus(LIMITS.maxLateness()).minusNanos(1),
            NOW.plus(LIMITS.maxSkew()).plusNanos(1),
            Instant.parse("9999-12-31T23:59:59Z"),
            Instant.MAX,
            Instant.MIN,
            Instant.EPOCH)) {
      EventRequests.ErrorBody error = only(LIMITS, metric(outside.toString()));
      assertThat(error.code()).isEqualTo("ts_out_of_range");
      assertThat(error.field()).isEqualTo("ts");
    }
  }

  @Test
  void theWindowComesFromTheLimits() {
    EventLimits narrow = withWindow(Duration.ofMinutes(1), Duration.ZERO);
    assertThat(only(narrow, metric(NOW.minusSeconds(61).toString())).field()).isEqualTo("ts");
    assertThat(only(narrow, metric(NOW.plusNanos(1).toString())).field()).isEqualTo("ts");
    assertThat(parse(narrow, metric(NOW.minusSeconds(60).toString())).accepted()).hasSize(1);
  }

  @Test
  void eachTextFieldLongerThanItsLimitIsRefusedNamingTheFieldAndAtTheLimitAccepted() {
    String id = q("i".repeat(LIMITS.maxIdLength()));
    String unit = q("u".repeat(LIMITS.maxUnitLength()));
    String event = q("e".repeat(LIMITS.maxKeyLength()));
    accepted(metric(id, unit, event, null, null));
    String longId = q("i".repeat(LIMITS.maxIdLength() + 1));
    String longUnit = q("u".repeat(LIMITS.maxUnitLength() + 1));
    String longEvent = q("e".repeat(LIMITS.maxKeyLength() + 1));
    assertThat(only(LIMITS, metric(longId, unit, event, null, null)).field()).isEqualTo("eventId");
    assertThat(only(LIMITS, metric(id, longUnit, event, null, null)).field()).isEqualTo("unit");
    assertThat(only(LIMITS, metric(id, unit, longEvent, null, null)).field()).isEqualTo("event");
    String longKey = "k".repeat(LIMITS.maxKeyLength() + 1);
    EventRequests.ErrorBody experiment = only(LIMITS, exposure("u-1", longKey, "a"));
    assertThat(experiment.code()).isEqualTo("too_long");
    assertThat(experiment.field()).isEqualTo("experiment");
    assertThat(only(LIMITS, exposure("u-1", "exp", longKey)).field()).isEqualTo("variant");
  }

  @Test
  void aFieldOfAMebibyteIsARejectionNotAFailedBatch() {
    String huge = q("x".repeat(1024 * 1024));
    EventRequests.Batch batch =
        parse(LIMITS, metric(huge, q("u-1"), q("buy"), null, null), metric(NOW.toString()));
    assertThat(batch.accepted()).hasSize(1);
    assertThat(batch.rejected().get(0).error().code()).isEqualTo("too_long");
  }

  @Test
  void attributesPastTheirCountDepthOrSizeAreRefusedNamingAttributes() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i < LIMITS.maxAttributes(); i++) {
      many.append(i == 0 ? "" : ",").append("\"a").append(i).append("\": ").append(i);
    }
    accepted(metric(q("e"), q("u"), q("buy"), null, many + "}"));
    EventRequests.ErrorBody tooMany =
        only(LIMITS, metric(q("e"), q("u"), q("buy"), null, many + ", \"one-more\": 1}"));
    assertThat(tooMany.code()).isEqualTo("attributes_too_large");
    assertThat(tooMany.field()).isEqualTo("attributes");

    // "d" is one level below the top object, each array one more
    String deepest = "1";
    for (int i = 0; i < LIMITS.maxAttributesDepth() - 1; i++) {
      deepest = "[" + deepest + "]";
    }
    accepted(metric(q("e"), q("u"), q("buy"), null, "{\"d\": " + deepest + "}"));
    deepest = "[" + deepest + "]";
    EventRequests.ErrorBody deep =
        only(LIMITS, metric(q("e"), q("u"), q("buy"), null, "{\"d\": " + deepest + "}"));
    assertThat(deep.code()).isEqualTo("attributes_too_deep");
    assertThat(deep.field()).startsWith("attributes.d");

    String big = "{\"s\": " + q("s".repeat(LIMITS.maxAttributesBytes())) + "}";
    EventRequests.ErrorBody large = only(LIMITS, metric(q("e"), q("u"), q("buy"), null, big));
    assertThat(large.code()).isEqualTo("attributes_too_large");
    String fits = "{\"s\": " + q("s".repeat(LIMITS.maxAttributesBytes() - 8)) + "}";
    accepted(metric(q("e"), q("u"), q("buy"), null, fits));
  }

  @Test
  void anEventThatWouldNotFitOneKafkaRecordIsRefusedBeforeProducing() {
    EventLimits small =
        new EventLimits(
            LIMITS.maxLateness(),
            LIMITS.maxSkew(),
            LIMITS.maxIdLength(),
            LIMITS.maxUnitLength(),
            LIMITS.maxKeyLength(),
            LIMITS.maxAttributes(),
            LIMITS.maxAttributesDepth(),
            1000,
            LIMITS.maxBodyBytes(),
            1200);
    String attrs = "{\"s\": " + q("s".repeat(900)) + "}";
    String longFields = metric(q("i".repeat(128)), q("u".repeat(256)), q("e"), null, attrs);
    EventRequests.ErrorBody error = only(small, longFields);
    assertThat(error.code()).isEqualTo("event_too_large");
    assertThat(error.field()).isEqualTo("attributes");
    assertThat(parse(small, metric(q("e"), q("u"), q("buy"), null, attrs)).accepted()).hasSize(1);
  }

  @Test
  void aLoneSurrogateInAnyStringIsInvalidTextNamingTheField() {
    String lone = q("a\\ud800b");
    String trailing = q("x\\udc00");
    assertThat(only(LIMITS, metric(lone, q("u"), q("buy"), null, null)).field())
        .isEqualTo("eventId");
    EventRequests.ErrorBody unit = only(LIMITS, metric(q("e"), trailing, q("buy"), null, null));
    assertThat(unit.code()).isEqualTo("invalid_text");
    assertThat(unit.field()).isEqualTo("unit");
    assertThat(only(LIMITS, metric(q("e"), q("u"), lone, null, null)).field()).isEqualTo("event");
    assertThat(only(LIMITS, exposure("u-1", "exp\\ud800", "a")).field()).isEqualTo("experiment");
    assertThat(only(LIMITS, exposure("u-1", "exp", "a\\udfff")).field()).isEqualTo("variant");
    EventRequests.ErrorBody value =
        only(LIMITS, metric(q("e"), q("u"), q("buy"), null, "{\"c\": [\"ok\", " + lone + "]}"));
    assertThat(value.code()).isEqualTo("invalid_text");
    assertThat(value.field()).isEqualTo("attributes.c[1]");
    EventRequests.ErrorBody key =
        only(LIMITS, metric(q("e"), q("u"), q("buy"), null, "{" + lone + ": 1}"));
    assertThat(key.field()).isEqualTo("attributes");
    // a proper pair is text (U+1F600)
    accepted(metric(q("e"), q("u-\\ud83d\\ude00"), q("buy"), null, "{\"e\": \"\\ud83d\\ude00\"}"));
  }

  @Test
  void anExposureCountsOnlyInTheVariantThePlatformAssignsAndByTheCanonicalKeys() {
    EventRequests.Batch batch =
        parse(
            LIMITS,
            exposure("u-1", "exp", "a"),
            exposure("u-1", "exp", "b"),
            exposure("u-b", "exp", "b"),
            exposure("u-b", "exp", "a"),
            exposure("u-1", "gone", "a"));
    assertThat(batch.accepted())
        .extracting(TrackedEvent::unit, TrackedEvent::experiment, TrackedEvent::variant)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("u-1", "exp-1", "a"),
            org.assertj.core.groups.Tuple.tuple("u-b", "exp-1", "b"));
    assertThat(batch.rejected())
        .extracting(r -> r.index() + " " + r.error().code() + " " + r.error().field())
        .containsExactly(
            "1 invalid_variant variant",
            "3 invalid_variant variant",
            "4 unknown_experiment experiment");
  }

  private static EventLimits withWindow(Duration lateness, Duration skew) {
    return new EventLimits(
        lateness,
        skew,
        LIMITS.maxIdLength(),
        LIMITS.maxUnitLength(),
        LIMITS.maxKeyLength(),
        LIMITS.maxAttributes(),
        LIMITS.maxAttributesDepth(),
        LIMITS.maxAttributesBytes(),
        LIMITS.maxBodyBytes(),
        LIMITS.maxRecordBytes());
  }
}
