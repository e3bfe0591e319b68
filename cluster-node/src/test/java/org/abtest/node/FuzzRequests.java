package org.abtest.node;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One fuzzer client's request stream: an operation of the contract, a credential, path keys, random
 * query strings and headers, and a {@link FuzzBodies} body, all from one seeded Random.
 */
final class FuzzRequests {

  record Fuzzed(
      String credential, String operation, HttpRequest request, int bodyBytes, String note) {}

  private static final List<String[]> HEADERS =
      List.of(
          new String[] {"Content-Type", "text/plain"},
          new String[] {"Content-Type", "application/json; charset=ISO-8859-1"},
          new String[] {"Content-Type", "multipart/form-data; boundary=x"},
          new String[] {"Content-Encoding", "gzip"},
          new String[] {"Accept", "application/xml"},
          new String[] {"Accept-Encoding", "br, zstd"},
          new String[] {"If-Match", "\"1\""},
          new String[] {"If-Match", "garbage"},
          new String[] {"If-None-Match", "\"0\""},
          new String[] {"Last-Event-ID", "-99999999999999999999"},
          new String[] {"X-Forwarded-For", "1.2.3.4, ::1, not-an-ip"},
          new String[] {"Origin", "http://evil.example"},
          new String[] {"X-Long", "v".repeat(7000)});

  private final Random random;
  private final String baseUrl;
  private final List<OpenApiOperations.Operation> operations;
  private final List<Map.Entry<String, String>> credentials;
  private final FuzzBodies bodies;

  FuzzRequests(
      Random random,
      String baseUrl,
      OpenApiOperations api,
      Map<String, String> credentials,
      List<String> keys) {
    this.random = random;
    this.baseUrl = baseUrl;
    this.operations = api.operations();
    this.credentials = new ArrayList<>(credentials.entrySet());
    this.bodies = new FuzzBodies(random, api, keys);
  }

  Fuzzed next() {
    OpenApiOperations.Operation op = operations.get(random.nextInt(operations.size()));
    Map.Entry<String, String> credential = credentials.get(random.nextInt(credentials.size()));
    String method = random.nextInt(40) == 0 ? "PUT" : op.method();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path(op) + query(op)))
            .timeout(Duration.ofSeconds(30));
    byte[] body = op.body() != null || random.nextInt(10) == 0 ? bodies.body(op.body()) : null;
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (random.nextInt(5) != 0) {
      request.header("Content-Type", "application/json");
    }
    if (credential.getValue() != null) {
      request.header(
          "Authorization",
          random.nextInt(20) == 0
              ? "Basic " + credential.getValue()
              : "Bearer " + credential.getValue());
    }
    String note = body == null ? "no body" : body.length + " body bytes " + excerpt(body);
    if (random.nextInt(3) == 0) {
      String[] header = HEADERS.get(random.nextInt(HEADERS.size()));
      request.header(header[0], header[1]);
      note = header[0] + ": " + excerpt(header[1].getBytes(StandardCharsets.UTF_8)) + ", " + note;
    }
    return new Fuzzed(
        credential.getKey(),
        op.method() + " " + op.path(),
        request.build(),
        body == null ? 0 : body.length,
        note);
  }

  private static String excerpt(byte[] bytes) {
    String text = new String(bytes, 0, Math.min(bytes.length, 60), StandardCharsets.UTF_8);
    return bytes.length > 60 ? text + "…" : text;
  }

  private String path(OpenApiOperations.Operation op) {
    StringBuilder out = new StringBuilder();
    String template = op.path();
    int at = 0;
    while (true) {
      int open = template.indexOf('{', at);
      if (open < 0) {
        return out.append(template.substring(at)).toString();
      }
      int close = template.indexOf('}', open);
      out.append(template, at, open);
      String name = template.substring(open + 1, close);
      out.append(
          name.equals("id")
              ? "made-up-id-" + random.nextInt(50)
              : URLEncoder.encode(bodies.key(), StandardCharsets.UTF_8));
      at = close + 1;
    }
  }

  private String query(OpenApiOperations.Operation op) {
    List<String> pairs = new ArrayList<>();
    for (String name : op.queryParameters()) {
      if (random.nextInt(3) != 0) {
        pairs.add(name + "=" + queryValue(name));
      }
    }
    for (int i = random.nextInt(3); i > 0; i--) {
      pairs.add(
          switch (random.nextInt(5)) {
            case 0 -> "%ff%fe=%c3%28"; // escapes that decode to invalid UTF-8
            case 1 -> "a=" + "b".repeat(random.nextInt(5000));
            case 2 -> "log=maybe";
            case 3 -> "=";
            default -> "x" + random.nextInt(9) + "=" + random.nextInt();
          });
    }
    return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
  }

  private String queryValue(String name) {
    String value =
        switch (name) {
          case "unit" -> "u-" + random.nextInt(500);
          case "log" -> random.nextBoolean() ? "false" : "true";
          default -> random.nextBoolean() ? bodies.key() : String.valueOf(random.nextInt());
        };
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
