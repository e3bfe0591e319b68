package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.abtest.http.ApiError;
import org.abtest.http.RequestLimits;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.PortFailure;
import org.abtest.http.ports.Role;
import org.abtest.protocol.Json;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every resource's routes share: credentials, JSON bodies, and mapping failures to errors. */
public abstract class ApiDirectives extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(ApiDirectives.class);
  private static final String BEARER = "Bearer ";

  private final Authenticator authenticator;

  protected ApiDirectives(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** 401 without a known credential, 403 when its role may not do this. */
  protected Route authorized(Predicate<Role> allowed, Function<Role, Route> inner) {
    return authorizedAs(allowed, principal -> inner.apply(principal.role()));
  }

  /** As {@link #authorized}, for routes that record who acted. */
  protected Route authorizedAs(Predicate<Role> allowed, Function<Principal, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization", header -> checked(identify(header), allowed, inner));
  }

  /** Who an {@code Authorization} header value stands for, if it is a known bearer credential. */
  protected Optional<Principal> identify(Optional<String> authorization) {
    return authorization
        .filter(h -> h.startsWith(BEARER))
        .flatMap(h -> authenticator.identify(h.substring(BEARER.length()).trim()));
  }

  private Route checked(
      Optional<Principal> principal, Predicate<Role> allowed, Function<Principal, Route> inner) {
    HttpResponse refused = refusal(principal, allowed);
    return refused != null ? complete(refused) : inner.apply(principal.get());
  }

  /** 401 without a principal, 403 when its role may not do this; null when it may. */
  protected static HttpResponse refusal(Optional<Principal> principal, Predicate<Role> allowed) {
    if (principal.isEmpty()) {
      return error(
          new ApiError(401, "unauthorized", "a valid bearer credential is required", null));
    }
    if (!allowed.test(principal.get().role())) {
      return error(new ApiError(403, "forbidden", "this credential's role may not do this", null));
    }
    return null;
  }

  /** The request body as a JSON object within the request limits, or a 400 saying what is wrong. */
  protected Route jsonObject(Function<ObjectNode, Route> inner) {
    return jsonObject(false, inner);
  }

  /** As {@link #jsonObject(Function)}, where no body at all stands for {@code {}}. */
  protected Route optionalJsonObject(Function<ObjectNode, Route> inner) {
    return jsonObject(true, inner);
  }

  private Route jsonObject(boolean optional, Function<ObjectNode, Route> inner) {
    return optionalAttribute(
        RequestLimits.ATTRIBUTE,
        limits ->
            entity(
                Unmarshaller.entityToByteString(),
                body -> {
                  try {
                    if (optional && body.isEmpty()) {
                      return inner.apply(Json.mapper().createObjectNode());
                    }
                    return inner.apply(
                        JsonBodies.parseObject(
                            body.toArray(), limits.orElseGet(RequestLimits::defaults)));
                  } catch (ApiError | PortFailure e) {
                    return complete(error(e));
                  }
                }));
  }

  /** A body that must be a JSON object; an {@link ApiError} 400 saying what is wrong otherwise. */
  protected static ObjectNode parseObject(byte[] body) {
    return JsonBodies.parseObject(body, RequestLimits.defaults());
  }

  protected Route completeJson(int status, Object body) {
    return complete(json(status, body));
  }

  /** Completes with the stage's value, or with the error its failure stands for. */
  protected <T> Route completeStage(CompletionStage<T> stage, Function<T, HttpResponse> onSuccess) {
    return completeWithFuture(
        stage.handle(
            (value, failure) -> failure == null ? onSuccess.apply(value) : error(failure)));
  }

  protected <T> Route completeStage(CompletionStage<T> stage, int status) {
    return completeStage(stage, value -> json(status, value));
  }

  protected Route guarded(Supplier<Route> inner) {
    try {
      return inner.get();
    } catch (ApiError | PortFailure e) {
      return complete(error(e));
    }
  }

  public static HttpResponse json(int status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, Json.mapper().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("response cannot be written as JSON", e);
    }
  }

  public static HttpResponse error(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    ApiError apiError;
    if (cause instanceof ApiError e) {
      apiError = e;
    } else if (cause instanceof PortFailure f) {
      apiError = ApiError.of(f);
    } else if (cause instanceof TimeoutException) {
      apiError = ApiError.unavailable("a dependency did not answer in time; retry shortly");
    } else {
      log.error("request failed unexpectedly", cause);
      apiError = ApiError.unavailable("the request could not be completed; retry shortly");
    }
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode inner = body.putObject("error");
    inner.put("code", apiError.code());
    inner.put("message", writable(apiError.getMessage()));
    if (apiError.field() != null) {
      inner.put("field", writable(apiError.field()));
    }
    HttpResponse response = json(apiError.status(), body);
    return apiError.status() == 503
        ? response.addHeader(RawHeader.create("Retry-After", "5"))
        : response;
  }

  /** A message may quote request text; a lone surrogate in it would fail the error response. */
  private static String writable(String text) {
    return text == null || TextChecks.wellFormed(text)
        ? text
        : text.codePoints()
            .map(c -> Character.isSurrogate((char) c) && c <= 0xFFFF ? 0xFFFD : c)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
            .toString();
  }
}
