package org.abtest.http.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.abtest.http.ApiError;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

/** The streaming parser answers every body as the tree version did. */
class EventRequestsTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC);

  // The parity with the tree version is about parsing: every exposure is taken as assigned.
  private static final EventRequests.Checks CHECKS =
      new EventRequests.Checks(
          CLOCK,
          TestEventLimits.STANDARD,
          (experiment, variant, unit, attributes, ts) ->
              new ExposureCheck.Valid(experiment, variant));

  @Test
  void answersHandPickedBodiesAsTheTreeVersion() {
    for (String body :
        List.of(
            "",
            "null",
            "[]",
            "[1, {\"a\": }]",
            "{}",
            "{\"events\": 5}",
            "{\"events\": {\"a\": [1]}}",
            "{\"events\": []}",
            "{\"events\": [], \"more\": {\"x\": [1, 2, {\"y\": null}]}}",
            "{\"events\": [1, \"x\", null, [1, [2]], {}]}",
            "{\"events\": [{\"eventId\": \"e\"}], \"events\": 3}",
            "{\"events\": 3, \"events\": [{\"eventId\": \"e\"}]}",
            "{\"events\": [{\"eventId\": \"e\", \"type\": \"metric\", \"unit\": \"u\","
                + " \"event\": \"buy\", \"value\": 1e400}]}",
            "{\"events\": [{\"eventId\": \"e\", \"type\": \"metric\", \"unit\": \"u\","
                + " \"event\": \"buy\", \"value\": 123456789012345678901234567890}]}",
            "{\"events\": [{\"eventId\": \"e\", \"type\": \"metric\", \"unit\": \"u\","
                + " \"event\": \"buy\", \"eventId\": \"f\", \"type\": \"exposure\"}]}",
            "{\"events\": [{\"eventId\": \"e\"}]} trailing",
            "{\"events\": [{\"eventId\": \"e\"}], \"x\": }",
            "{\"events\": [{\"eventId\": \"e\"",
            "{\"events\": [" + "{},".repeat(1000) + "{}]}",
            "{\"events\": [" + "{},".repeat(1000) + "{}], \"x\": tru}",
            "{\"events\": [" + "{},".repeat(999) + "{}]}")) {
      assertSameAnswer(body);
    }
  }

  @Test
  void answersRandomBodiesAsTheTreeVersion() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 3000; i++) {
      StringBuilder body = new StringBuilder("{");
      if (random.nextInt(10) == 0) {
        body.append("\"other\": ").append(anyValue(random)).append(", ");
      }
      body.append("\"events\": [");
      int n = random.nextInt(6);
      for (int e = 0; e < n; e++) {
        body.append(e == 0 ? "" : ", ").append(event(random));
      }
      body.append("]}");
      assertSameAnswer(body.toString());
    }
  }

  private static String event(SplittableRandom random) {
    if (random.nextInt(15) == 0) {
      return anyValue(random);
    }
    List<String> fields = new ArrayList<>();
    String[] strings = {"eventId", "unit", "experiment", "variant", "event"};
    for (String name : strings) {
      if (random.nextInt(8) != 0) {
        fields.add(q(name) + ": " + (random.nextInt(6) == 0 ? anyValue(random) : q(name + "-1")));
      }
    }
    if (random.nextInt(8) != 0) {
      String[] types = {q("exposure"), q("metric"), q("other"), q(""), "null", "1"};
      fields.add(q("type") + ": " + types[random.nextInt(types.length)]);
    }
    if (random.nextInt(3) != 0) {
      String[] times = {
        q("2026-11-22T10:00:00Z"),
        q("2026-11-22T10:00:00.123+01:00"),
        q("2026-02-30T10:00:00Z"),
        q("yesterday"),
        "null",
        "17",
        "{}"
      };
      fields.add(q("ts") + ": " + times[random.nextInt(times.length)]);
    }
    if (random.nextInt(3) != 0) {
      String[] values = {"3.5", "-2", "0", "1e400", "null", q("3.5"), "true", "[1]"};
      fields.add(q("value") + ": " + values[random.nextInt(values.length)]);
    }
    if (random.nextInt(3) == 0) {
      String[] attributes = {"{\"country\": \"US\", \"n\": [1, {}]}", "null", "[]", q("x"), "5"};
      fields.add(q("attributes") + ": " + attributes[random.nextInt(attributes.length)]);
    }
    if (random.nextInt(5) == 0) {
      fields.add(q("extra") + ": " + anyValue(random));
    }
    java.util.Collections.shuffle(fields, new java.util.Random(random.nextLong()));
    return "{" + String.join(", ", fields) + "}";
  }

  private static String anyValue(SplittableRandom random) {
    String[] values = {"null", "true", "1", "2.5", q(""), q("s"), "[]", "[1, [2]]", "{\"a\": {}}"};
    return values[random.nextInt(values.length)];
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  private static void assertSameAnswer(String body) {
    assertThat(streaming(body)).as(body).isEqualTo(tree(body));
  }

  /** The answer as comparable text: the accepted events and rejections, or the error. */
  private static String streaming(String body) {
    try {
      EventRequests.Batch batch =
          EventRequests.parse(body.getBytes(StandardCharsets.UTF_8), CHECKS);
      List<String> rejected = new ArrayList<>();
      batch.rejected().forEach(r -> rejected.add(r.index() + " " + r.error()));
      return "accepted " + batch.accepted() + " rejected " + rejected;
    } catch (ApiError e) {
      return error(e);
    }
  }

  private static String tree(String body) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      return error(ApiError.badRequest("malformed_json", "(message)", null));
    }
    if (!(node instanceof ObjectNode object)) {
      return error(ApiError.badRequest("malformed_json", "the body must be a JSON object", null));
    }
    try {
      TreeEventRequests.Batch batch = TreeEventRequests.parse(object, CLOCK);
      List<String> rejected = new ArrayList<>();
      batch
          .rejected()
          .forEach(
              r ->
                  rejected.add(
                      r.index()
                          + " "
                          + new EventRequests.ErrorBody(
                              r.error().code(), r.error().message(), r.error().field())));
      return "accepted " + batch.accepted() + " rejected " + rejected;
    } catch (ApiError e) {
      return error(e);
    }
  }

  private static String error(ApiError e) {
    String message =
        e.code().equals("malformed_json") && e.getMessage().startsWith("the body is not")
            ? "(message)"
            : e.getMessage();
    return "error " + e.status() + " " + e.code() + " " + message + " " + e.field();
  }
}
