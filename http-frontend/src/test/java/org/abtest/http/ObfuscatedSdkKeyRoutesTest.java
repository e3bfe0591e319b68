package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.EventLimits;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.http.ports.ManifestService;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.manifest.SdkKeys;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the routes do for an SDK key created with {@code "obfuscated": true}: they ask the ports for
 * the hashed view, hashed assignments, and map exposures back, with rejections at the index of the
 * request. The ports' own hashing is tested in protocol and cluster-node.
 */
class ObfuscatedSdkKeyRoutesTest {

  private static final FakeServices fakes = new FakeServices();
  private static final Set<String> obfuscatedKeys = ConcurrentHashMap.newKeySet();
  private static volatile Boolean lastAssignObfuscated;
  private static ActorTestKit testKit;
  private static ServerBinding binding;

  /** The fake credentials, plus the flag: issued obfuscated keys identify as obfuscated. */
  private static final class Credentials implements Authenticator, CredentialService {
    private final FakeCredentials inner;

    Credentials(FakeCredentials inner) {
      this.inner = inner;
    }

    @Override
    public Optional<Role> authenticate(String token) {
      return inner.authenticate(token);
    }

    @Override
    public Optional<Principal> identify(String token) {
      return inner
          .authenticate(token)
          .map(r -> new Principal("id", "n", r, null, obfuscatedKeys.contains(token)));
    }

    @Override
    public CompletionStage<Issued> issueToken(Role role, String name, Principal by) {
      return inner.issueToken(role, name, by);
    }

    @Override
    public CompletionStage<Issued> issueSdkKey(
        String environment, String name, boolean obfuscated, int perSecond, Principal by) {
      return inner
          .issueSdkKey(environment, name, false, perSecond, by)
          .thenApply(
              issued -> {
                if (obfuscated) {
                  obfuscatedKeys.add(issued.secret());
                }
                return issued;
              });
    }

    @Override
    public CompletionStage<Void> revokeToken(String id) {
      return inner.revokeToken(id);
    }

    @Override
    public CompletionStage<Void> revokeSdkKey(String id) {
      return inner.revokeSdkKey(id);
    }
  }

  @BeforeAll
  static void bind() throws Exception {
    ApiServices base = fakes.services();
    Credentials credentials = new Credentials(fakes.credentials);
    ManifestService manifests =
        new ManifestService() {
          @Override
          public Optional<Served> served() {
            return served(false);
          }

          @Override
          public Optional<Served> served(boolean obfuscated) {
            String body = obfuscated ? "{\"version\":5,\"obfuscated\":true}" : "{\"version\":5}";
            return Optional.of(
                new Served(5, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          }
        };
    AssignmentService assignments =
        new AssignmentService() {
          @Override
          public EventLimits limits() {
            return base.assignments().limits();
          }

          @Override
          public Result assign(String unit, JsonNode attributes, boolean log) {
            return assign(unit, attributes, log, Map.of(), false);
          }

          @Override
          public Result assign(
              String unit,
              JsonNode attributes,
              boolean log,
              Map<String, String> overrides,
              boolean obfuscated) {
            lastAssignObfuscated = obfuscated;
            String e = obfuscated ? SdkKeys.experiment("s", "exp") : "exp";
            String v = obfuscated ? SdkKeys.variant("s", "green") : "green";
            return new Result(unit, 5, List.of(new Assignment(e, v, null)));
          }
        };
    EventService events =
        new EventService() {
          @Override
          public CompletionStage<Void> publish(List<TrackedEvent> batch) {
            return base.events().publish(batch);
          }

          @Override
          public EventLimits limits() {
            return base.events().limits();
          }

          @Override
          public ExposureCheck exposures() {
            // the node maps a known hash to the real keys; a hash of nothing live is refused
            return (experiment, variant, unit, attributes, ts) -> {
              if (experiment.equals(SdkKeys.experiment("s", "exp"))) {
                return new ExposureCheck.Valid("exp", "green");
              }
              return SdkKeys.looksHashed(experiment)
                  ? ExposureCheck.Refused.UNKNOWN_EXPERIMENT
                  : base.events().exposures().check(experiment, variant, unit, attributes, ts);
            };
          }
        };
    ApiServices services =
        base.withCredentialStore(credentials)
            .withAssignments(assignments)
            .withManifests(manifests)
            .withEvents(events);
    testKit = ActorTestKit.create();
    binding =
        Http.get(testKit.system())
            .newServerAt("127.0.0.1", 0)
            .bind(new ApiRoutes(services).handler(testKit.system()))
            .toCompletableFuture()
            .get();
  }

  @AfterAll
  static void unbind() {
    binding.unbind();
    testKit.shutdownTestKit();
  }

  private static HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Authorization", "Bearer " + token);
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.mapper().readTree(r.body());
  }

  private static String obfuscatedKey() throws Exception {
    var issued =
        call(
            "POST",
            "/v1/sdk-keys",
            FakeServices.ADMIN,
            "{\"environment\": \"production\", \"obfuscated\": true}");
    assertThat(issued.statusCode()).isEqualTo(201);
    assertThat(json(issued).get("obfuscated").asBoolean()).isTrue();
    return json(issued).get("key").asText();
  }

  @Test
  void anSdkKeyCreatedObfuscatedGetsTheHashedViewUnderItsOwnETag() throws Exception {
    String key = obfuscatedKey();
    var hashed = call("GET", "/v1/manifest", key, null);
    assertThat(json(hashed).get("obfuscated").asBoolean()).isTrue();
    assertThat(hashed.headers().firstValue("ETag")).contains("\"5h\"");
    assertThat(hashed.headers().firstValue("Vary")).contains("Authorization");
    assertThat(json(call("GET", "/v1/me", key, null)).get("obfuscated").asBoolean()).isTrue();
    assertThat(json(call("GET", "/v1/me", FakeServices.SDK, null)).has("obfuscated")).isFalse();
    var plain = call("GET", "/v1/manifest", FakeServices.SDK, null);
    assertThat(json(plain).has("obfuscated")).isFalse();
    assertThat(plain.headers().firstValue("ETag")).contains("\"5\"");
  }

  @Test
  void theETagOfOneViewNeverMatchesTheOther() throws Exception {
    String key = obfuscatedKey();
    var request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/v1/manifest"))
            .header("Authorization", "Bearer " + key)
            .header("If-None-Match", "\"5\"")
            .build();
    var reply = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(reply.statusCode()).isEqualTo(200);
    var same =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(request.uri())
                    .header("Authorization", "Bearer " + key)
                    .header("If-None-Match", "\"5h\"")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(same.statusCode()).isEqualTo(304);
  }

  @Test
  void obfuscatedMustBeABooleanAndDefaultsToFalse() throws Exception {
    var bad =
        call(
            "POST",
            "/v1/sdk-keys",
            FakeServices.ADMIN,
            "{\"environment\": \"production\", \"obfuscated\": 1}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).at("/error/field").asText()).isEqualTo("obfuscated");
    var plain =
        call("POST", "/v1/sdk-keys", FakeServices.ADMIN, "{\"environment\": \"production\"}");
    assertThat(json(plain).get("obfuscated").asBoolean()).isFalse();
  }

  @Test
  void assignmentsForAnObfuscatedKeyAskForHashedKeysOnBothPaths() throws Exception {
    String key = obfuscatedKey();
    var post = call("POST", "/v1/assignments", key, "{\"unit\": \"u\", \"log\": false}");
    assertThat(lastAssignObfuscated).isTrue();
    assertThat(json(post).at("/assignments/0/experiment").asText())
        .isEqualTo(SdkKeys.experiment("s", "exp"));
    call("GET", "/v1/assignments?unit=u", key, null);
    assertThat(lastAssignObfuscated).isTrue();
    call("GET", "/v1/assignments?unit=u", FakeServices.SDK, null);
    assertThat(lastAssignObfuscated).isFalse();
  }

  @Test
  void hashedExposuresAreMappedAndAnUnknownHashIsRejectedAtItsIndex() throws Exception {
    String key = obfuscatedKey();
    String known = SdkKeys.experiment("s", "exp");
    String unknown = SdkKeys.experiment("s", "gone");
    String body =
        "{\"events\": ["
            + "{\"eventId\": \"a\", \"type\": \"exposure\", \"unit\": \"u\", \"experiment\": \""
            + known
            + "\", \"variant\": \"x\"},"
            + "{\"eventId\": \"b\", \"type\": \"bogus\", \"unit\": \"u\"},"
            + "{\"eventId\": \"c\", \"type\": \"exposure\", \"unit\": \"u\", \"experiment\": \""
            + unknown
            + "\", \"variant\": \"x\"},"
            + "{\"eventId\": \"d\", \"type\": \"metric\", \"unit\": \"u\", \"event\": \"buy\"}]}";
    int before;
    synchronized (fakes.published) {
      before = fakes.published.size();
    }
    var reply = call("POST", "/v1/events", key, body);
    assertThat(reply.statusCode()).isEqualTo(202);
    JsonNode answer = json(reply);
    assertThat(answer.get("accepted").asInt()).isEqualTo(2);
    assertThat(answer.at("/rejected/0/index").asInt()).isEqualTo(1);
    assertThat(answer.at("/rejected/1/index").asInt()).isEqualTo(2);
    assertThat(answer.at("/rejected/1/error/code").asText()).isEqualTo("unknown_experiment");
    assertThat(answer.at("/rejected/1/error/field").asText()).isEqualTo("experiment");
    synchronized (fakes.published) {
      List<TrackedEvent> sent = fakes.published.subList(before, fakes.published.size());
      assertThat(sent).extracting(TrackedEvent::eventId).containsExactly("a", "d");
      assertThat(sent.get(0).experiment()).isEqualTo("exp");
      assertThat(sent.get(0).variant()).isEqualTo("green");
    }
  }
}
