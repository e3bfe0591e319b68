package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each body limit of {@link RequestLimits}, at its value and one past it, over real HTTP. */
class RequestLimitsRoutesTest extends RouteTestSupport {

  private static final RequestLimits LIMITS = RequestLimits.defaults();

  @Test
  void aBodyAtTheLimitIsRead() throws Exception {
    String body = padded((int) LIMITS.bodyBytes());
    assertThat(body).hasSize((int) LIMITS.bodyBytes());
    assertThat(call("POST", "/v1/power", FakeServices.VIEWER, body).status()).isEqualTo(200);
  }

  @Test
  void aBodyLargerThanTheLimitIsRefusedWith413() throws Exception {
    var reply =
        call("POST", "/v1/power", FakeServices.VIEWER, padded((int) LIMITS.bodyBytes() + 1));
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("payload_too_large");
    assertThat(reply.body().at("/error/message").asText())
        .contains(Long.toString(LIMITS.bodyBytes()));
  }

  @Test
  void anAssignmentBodyLargerThanItsLimitIsRefusedWith413() throws Exception {
    String body = "{\"unit\": \"u\", \"attributes\": {\"pad\": \"" + "x".repeat(70_000) + "\"}}";
    assertThat(body.length()).isGreaterThan((int) LIMITS.assignmentBodyBytes());
    var reply = call("POST", "/v1/assignments", FakeServices.SDK, body);
    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void anEventsBodyLargerThanItsLimitIsRefusedWith413() throws Exception {
    // 4 MiB: sent whole, the node's refusal can close the connection while the client still writes
    String reply = headersOnly("/v1/events", FakeServices.SDK, LIMITS.eventBodyBytes() + 1);
    assertThat(reply).startsWith("HTTP/1.1 413 ");
    assertThat(reply).contains(Long.toString(LIMITS.eventBodyBytes()));
  }

  @Test
  void nestingAtTheLimitIsRead() throws Exception {
    assertThat(call("POST", "/v1/power", FakeServices.VIEWER, nested(LIMITS.jsonDepth())).status())
        .isEqualTo(200);
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedWith400NamingWhereItWas() throws Exception {
    var reply = call("POST", "/v1/power", FakeServices.VIEWER, nested(LIMITS.jsonDepth() + 1));
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("nesting_too_deep");
    assertThat(reply.body().at("/error/field").asText()).startsWith("a.a.a");
  }

  @Test
  void aStringAtTheLimitIsRead() throws Exception {
    String body = "{\"s\": \"" + "x".repeat(LIMITS.stringChars()) + "\"}";
    assertThat(call("POST", "/v1/power", FakeServices.VIEWER, body).status()).isEqualTo(200);
  }

  @Test
  void aStringLongerThanTheLimitIsRefusedWith400NamingTheField() throws Exception {
    String body = "{\"kind\": \"mean\", \"s\": \"" + "x".repeat(LIMITS.stringChars() + 1) + "\"}";
    var reply = call("POST", "/v1/power", FakeServices.VIEWER, body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("string_too_long");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("s");
  }

  @Test
  void aFieldNameLongerThanTheLimitIsRefusedWith400() throws Exception {
    String body = "{\"" + "n".repeat(LIMITS.stringChars() + 1) + "\": 1}";
    var reply = call("POST", "/v1/power", FakeServices.VIEWER, body);
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("string_too_long");
  }

  @Test
  void anObjectWithTooManyFieldsIsRefusedWith400NamingIt() throws Exception {
    StringBuilder fields = new StringBuilder("{\"config\": {");
    for (int i = 0; i <= LIMITS.objectFields(); i++) {
      fields.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": 1");
    }
    var reply = call("POST", "/v1/power", FakeServices.VIEWER, fields.append("}}").toString());
    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("too_many_fields");
    assertThat(reply.body().at("/error/field").asText()).isEqualTo("config");
  }

  @Test
  void anObjectWithFieldsAtTheLimitIsRead() throws Exception {
    StringBuilder fields = new StringBuilder("{");
    for (int i = 0; i < LIMITS.objectFields(); i++) {
      fields.append(i == 0 ? "" : ",").append("\"f").append(i).append("\": 1");
    }
    assertThat(
            call("POST", "/v1/power", FakeServices.VIEWER, fields.append("}").toString()).status())
        .isEqualTo(200);
  }

  @Test
  void anUnknownPathIs404InOurWords() throws Exception {
    var reply = call("GET", "/v1/nothing-here", null, null);
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(reply.body().at("/error/message").asText())
        .isEqualTo("there is nothing at this path");
  }

  @Test
  void aWrongMethodIs405ListingTheMethodsThePathTakes() throws Exception {
    var reply = call("DELETE", "/v1/power", FakeServices.VIEWER, null);
    assertThat(reply.status()).isEqualTo(405);
    assertThat(reply.body().at("/error/code").asText()).isEqualTo("method_not_allowed");
    assertThat(reply.raw().headers().firstValue("Allow")).hasValue("POST");
  }

  /** A body of exactly {@code bytes} bytes, in strings short enough for the string limit. */
  private static String padded(int bytes) {
    StringBuilder body = new StringBuilder("{\"pad\": [");
    int chunk = LIMITS.stringChars() / 2;
    while (bytes - body.length() - 2 > chunk + 3) {
      body.append('"').append("x".repeat(chunk)).append("\",");
    }
    body.append('"').append("x".repeat(bytes - body.length() - 3)).append("\"]}");
    return body.toString();
  }

  /** {@code depth} nested objects: {"a": {"a": … {} … }}. */
  private static String nested(int depth) {
    return "{\"a\": ".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }
}
