package org.abtest.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.http.ApiError;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.AssignmentService.Explanation;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.Role;
import org.abtest.protocol.assignment.FlagKey;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The OpenFeature Remote Evaluation Protocol (OFREP): {@code POST /ofrep/v1/evaluate/flags/{key}}
 * and the bulk {@code POST /ofrep/v1/evaluate/flags}, so that every OpenFeature SDK's OFREP
 * provider reads our experiments. The SDK key is the bearer credential (401, 403 as for {@code
 * /v1/assignments}; its rate limit answers 429 with {@code Retry-After} before this route), {@code
 * context.targetingKey} is the unit and the rest of the context its attributes, within the limits
 * {@code POST /v1/assignments} keeps. A flag key is an experiment, whose value is the variant's
 * whole config, or {@code experiment/path}, one value of it ({@link FlagKey}); the assignment is
 * {@code POST /v1/assignments}'s, and exposures are logged as it logs them.
 *
 * <p>Answers as {@link OfrepJson} writes them. An obfuscated SDK key is refused (403): OFREP names
 * flags in clear.
 */
public final class OfrepRoutes extends ApiDirectives {

  /**
   * The most flags one bulk answer lists: the first live experiments by key. It bounds the answer
   * (each flag carries its variant's config) whatever the manifest holds.
   */
  public static final int MAX_BULK_FLAGS = 500;

  private final AssignmentService assignments;

  public OfrepRoutes(Authenticator authenticator, AssignmentService assignments) {
    super(authenticator);
    this.assignments = assignments;
  }

  /** The routes under {@code /ofrep/v1/evaluate/flags}; {@link #cors} wraps them (and the 429s). */
  public Route route() {
    return pathPrefix(
        PathMatchers.segment("ofrep").slash("v1").slash("evaluate").slash("flags"),
        () ->
            post(
                () ->
                    optionalHeaderValueByName(
                        "Authorization",
                        authorization ->
                            optionalHeaderValueByName(
                                "If-None-Match",
                                ifNoneMatch ->
                                    extractUri(
                                        uri ->
                                            entity(
                                                Unmarshaller.entityToByteString(),
                                                body ->
                                                    completeWithFuture(
                                                        answer(
                                                            flagKey(uri.path()),
                                                            identify(authorization),
                                                            ifNoneMatch,
                                                            body.toArray()))))))));
  }

  /**
   * CORS for the OFREP paths: SDK keys are public credentials sent as a header (never cookies), so
   * any origin may call; a preflight is answered here, and every answer (429s included) carries the
   * headers a browser needs to read it.
   */
  public Route cors(Route inner) {
    return pathPrefixTest(
        "ofrep",
        () ->
            respondWithHeaders(
                List.of(
                    RawHeader.create("Access-Control-Allow-Origin", "*"),
                    RawHeader.create("Access-Control-Expose-Headers", "ETag, Retry-After")),
                () ->
                    concat(
                        options(
                            () ->
                                complete(
                                    HttpResponse.create()
                                        .withStatus(StatusCodes.NO_CONTENT)
                                        .addHeaders(PREFLIGHT))),
                        inner)));
  }

  private static final List<HttpHeader> PREFLIGHT =
      List.of(
          RawHeader.create("Access-Control-Allow-Methods", "POST, OPTIONS"),
          RawHeader.create(
              "Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match"),
          RawHeader.create("Access-Control-Max-Age", "600"));

  /** Every OFREP path starts here; its errors have OFREP's shape, not the API's. */
  public static final String PREFIX = "/ofrep/v1/evaluate/flags";

  /**
   * The flag key after the prefix (null for the bulk path), decoded: an encoded slash counts as a
   * slash, and an empty part stays (for {@link FlagKey#parse} to refuse).
   */
  private static String flagKey(String path) {
    String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : "";
    if (rest.isEmpty()) {
      return null;
    }
    try {
      // the path as sent (still percent-encoded), decoded here so that %2F is a slash too
      return URLDecoder.decode(rest.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private CompletionStage<HttpResponse> answer(
      String key, Optional<Principal> principal, Optional<String> ifNoneMatch, byte[] body) {
    HttpResponse refused = refusal(principal, Role::canEvaluate);
    if (refused != null) {
      return CompletableFuture.completedFuture(refused);
    }
    if (principal.get().obfuscated()) {
      return CompletableFuture.completedFuture(
          error(
              new ApiError(
                  403,
                  "forbidden",
                  "OFREP names flags in clear: use an SDK key that is not obfuscated",
                  null)));
    }
    OfrepJson.Context context;
    try {
      context = context(body);
    } catch (OfrepJson.Failure f) {
      return CompletableFuture.completedFuture(OfrepJson.failure(key, f));
    }
    String environment = principal.get().servedEnvironment();
    // once the unit's stored sticky variants are ready (at once, in most cases)
    return assignments
        .prepare(environment, context.unit())
        .thenApply(
            ready ->
                key == null
                    ? bulk(environment, context, ifNoneMatch)
                    : single(environment, key, context))
        .exceptionally(ApiDirectives::error);
  }

  private HttpResponse single(String environment, String key, OfrepJson.Context context) {
    FlagKey flag = key.isEmpty() ? null : FlagKey.parse(key);
    if (flag == null || flag.experiment().isEmpty()) {
      return OfrepJson.notFound(key, "flag key " + key + " has an empty part");
    }
    Explanation e =
        assignments
            .explain(
                environment, context.unit(), context.attributes(), List.of(flag.experiment()), 1)
            .explanations()
            .get(0);
    return OfrepJson.single(flag, e.evaluation());
  }

  private HttpResponse bulk(
      String environment, OfrepJson.Context context, Optional<String> ifNoneMatch) {
    AssignmentService.Explained explained =
        assignments.explain(
            environment, context.unit(), context.attributes(), null, MAX_BULK_FLAGS);
    return OfrepJson.bulk(explained, ifNoneMatch);
  }

  /**
   * The request's context within {@code POST /v1/assignments}' limits: the body's size and JSON
   * shape (413, PARSE_ERROR), the unit and attributes (INVALID_CONTEXT), a unit at all
   * (TARGETING_KEY_MISSING).
   */
  private OfrepJson.Context context(byte[] body) {
    ObjectNode request;
    try {
      request = parseObject(body);
    } catch (ApiError e) {
      throw new OfrepJson.Failure("PARSE_ERROR", e.getMessage());
    }
    JsonNode context = request.get("context");
    if (context == null || context.isNull()) {
      throw new OfrepJson.Failure("INVALID_CONTEXT", "the body must have a context object");
    }
    if (!(context instanceof ObjectNode object)) {
      throw new OfrepJson.Failure("INVALID_CONTEXT", "context must be a JSON object");
    }
    JsonNode unit = object.get("targetingKey");
    if (unit == null || unit.isNull() || (unit.isTextual() && unit.asText().isEmpty())) {
      throw new OfrepJson.Failure(
          "TARGETING_KEY_MISSING", "context.targetingKey (the unit id) is required");
    }
    if (!unit.isTextual()) {
      throw new OfrepJson.Failure("INVALID_CONTEXT", "context.targetingKey must be a string");
    }
    ObjectNode attributes = object.deepCopy();
    attributes.remove("targetingKey");
    try {
      EventChecks.unit(unit.asText(), assignments.limits());
    } catch (ApiError e) {
      throw new OfrepJson.Failure("INVALID_CONTEXT", "context.targetingKey: " + e.getMessage());
    }
    try {
      EventChecks.attributes(attributes, assignments.limits());
    } catch (ApiError e) {
      throw new OfrepJson.Failure(
          "INVALID_CONTEXT",
          "context"
              + (e.field() == null || e.field().equals("attributes")
                  ? ""
                  : "." + e.field().replaceFirst("^attributes\\.", ""))
              + ": "
              + e.getMessage());
    }
    return new OfrepJson.Context(unit.asText(), attributes);
  }
}
