package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.junit.jupiter.api.Test;

/**
 * No accepted event is ever skipped downstream: every shape of time, number and text that the
 * parser accepts is written by the codec the producer uses and read back, by the codec the consumer
 * uses (its plain reader, its streaming path) and by the data binder it falls back to, as the very
 * event that was accepted.
 */
class AcceptedEventsRoundTripTest {

  private static final Instant NOW = Instant.parse("2026-11-23T00:00:30.5Z");
  private static final EventRequests.Checks CHECKS =
      new EventRequests.Checks(
          Clock.fixed(NOW, ZoneOffset.UTC),
          TestEventLimits.STANDARD,
          (experiment, variant, unit, attributes, ts) ->
              new ExposureCheck.Valid(experiment, variant));

  /** Times as clients write them, each inside the window, in every form the parser takes. */
  private static List<String> times() {
    Instant earliest = NOW.minus(TestEventLimits.STANDARD.maxLateness());
    // Truncating a time moves it earlier: the earliest base is the first whole second inside.
    List<Instant> bases =
        List.of(
            earliest.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1),
            NOW.plus(TestEventLimits.STANDARD.maxSkew()),
            NOW,
            NOW.minusSeconds(31).truncatedTo(ChronoUnit.DAYS), // midnight
            Instant.parse("2026-11-20T13:14:15.123456789Z"));
    List<String> out = new ArrayList<>();
    for (Instant base : bases) {
      String whole = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(base.atOffset(ZoneOffset.UTC));
      String seconds = whole.length() > 19 ? whole.substring(0, 19) : whole;
      String nanos = String.format("%09d", base.getNano());
      out.add(seconds + "Z");
      out.add(seconds + ".Z");
      for (int digits = 1; digits <= 9; digits++) {
        out.add(seconds + "." + nanos.substring(0, digits) + "Z");
      }
      out.add(seconds.replace('T', 't') + "z");
      out.add(seconds + "+00:00");
      out.add(seconds + "-00:00");
      out.add(base.toString());
    }
    // the same instants written with offsets, near the window's edges
    for (String offset : List.of("+01:00", "-05:30", "+14:00", "-12:00", "+05:45:30")) {
      ZoneOffset zone = ZoneOffset.of(offset);
      for (Instant t : List.of(NOW, bases.get(0).plusSeconds(60), bases.get(1).minusSeconds(60))) {
        out.add(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(zone)));
      }
    }
    out.add(earliest.toString()); // the very edges
    out.add(NOW.plus(TestEventLimits.STANDARD.maxSkew()).toString());
    out.add("2026-11-22T23:59:60Z"); // a leap second, read as the second before
    out.add("2026-11-22T23:59:60.999Z");
    out.add("2026-11-22T24:00:00Z"); // the end of the day, read as the next midnight
    return out;
  }

  private static final List<String> VALUES =
      List.of(
          "0",
          "-0.0",
          "0.1",
          "12",
          "-3.75",
          "1e-320",
          "4.9E-324",
          "1.7976931348623157E308",
          "123456789012345678901234567890",
          "1E22",
          "1e-7",
          "null");

  private static final List<String> TEXTS =
      List.of(
          "u-1",
          "ユーザー",
          "ünïcödé",
          "with \\\"quotes\\\" and \\\\",
          "tab\\tnew\\nline",
          "nul\\u0000",
          "emoji \\ud83d\\ude00",
          "~!@#$%^&*()_+{}|:<>?",
          " ");

  private static final List<String> ATTRIBUTES =
      List.of(
          "",
          ", \"attributes\": null",
          ", \"attributes\": {}",
          ", \"attributes\": {\"country\": \"US\", \"n\": [1, 2.5, true, null, {\"x\": \"ユ\"}]}");

  @Test
  void everyAcceptedTimeRoundTripsThroughTheCodecsAndTheBinder() throws Exception {
    int checked = 0;
    for (String ts : times()) {
      checked += roundTrip(metric("u-1", "1.5", ", \"ts\": \"" + ts + "\"", ""), 1);
      checked += roundTrip(exposure("ユーザー", ", \"ts\": \"" + ts + "\"", ATTRIBUTES.get(3)), 1);
    }
    checked += roundTrip(metric("u-1", "1", "", ""), 1);
    checked += roundTrip(metric("u-1", "1", ", \"ts\": null", ""), 1);
    assertThat(checked).isGreaterThan(150);
  }

  @Test
  void everyAcceptedValueTextAndAttributeShapeRoundTrips() throws Exception {
    int checked = 0;
    for (String value : VALUES) {
      for (String text : TEXTS) {
        for (String attributes : ATTRIBUTES) {
          checked += roundTrip(metric(text, value, "", attributes), 1);
          checked += roundTrip(exposure(text, "", attributes), 1);
        }
      }
    }
    assertThat(checked).isEqualTo(VALUES.size() * TEXTS.size() * ATTRIBUTES.size() * 2);
  }

  private static String metric(String unit, String value, String ts, String attributes) {
    return "{\"eventId\": \"m-"
        + unit
        + "\", \"type\": \"metric\", \"unit\": \""
        + unit
        + "\", \"event\": \"buy\", \"value\": "
        + value
        + ts
        + attributes
        + "}";
  }

  private static String exposure(String unit, String ts, String attributes) {
    return "{\"eventId\": \"x-"
        + unit
        + "\", \"type\": \"exposure\", \"unit\": \""
        + unit
        + "\", \"experiment\": \"exp\", \"variant\": \"v\""
        + ts
        + attributes
        + "}";
  }

  private static int roundTrip(String event, int expected) throws Exception {
    String body = "{\"events\": [" + event + "]}";
    EventRequests.Batch batch = EventRequests.parse(body.getBytes(StandardCharsets.UTF_8), CHECKS);
    assertThat(batch.rejected()).as(event).isEmpty();
    assertThat(batch.accepted()).as(event).hasSize(expected);
    TrackedEvent accepted = batch.accepted().get(0);
    // The unit state counts in epoch milliseconds: a time past +-292 million years made the
    // consumer skip the record as unreadable. Every accepted time has them.
    assertThat(accepted.ts().toEpochMilli()).isNotNegative();
    byte[] record = TrackedEventCodec.write(accepted);
    assertThat(TrackedEventCodec.read(record)).as(event).isEqualTo(accepted);
    assertThat(Json.mapper().readValue(record, TrackedEvent.class)).as(event).isEqualTo(accepted);
    // and what the producer writes is what the data binder would have written
    assertThat(Json.mapper().readTree(record))
        .as(event)
        .isEqualTo(Json.mapper().readTree(Json.mapper().writeValueAsBytes(accepted)));
    return 1;
  }
}
