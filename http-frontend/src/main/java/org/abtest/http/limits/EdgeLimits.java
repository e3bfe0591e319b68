package org.abtest.http.limits;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.abtest.http.ApiError;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.Role;
import org.abtest.http.routes.ApiDirectives;
import org.abtest.http.routes.WebSocketBearer;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The node's rate limits and stream caps, and the 429s they answer. Requests with a known
 * credential count against that credential's bucket (its own rate, or its kind's default); all
 * others against their client address's. Health and metrics are never limited: probes and scrapers
 * must not be turned away because strangers are busy at the same address.
 */
public final class EdgeLimits extends ApiDirectives {

  /**
   * What one bucket costs on the heap: the key (a credential id or an address, up to ~40 chars),
   * its map entry and its counter. Divides the memory budget into a number of keys.
   */
  static final int BYTES_PER_BUCKET = 192;

  private final Authenticator authenticator;
  private final EdgeSettings settings;
  private final RateLimiter credentials;
  private final RateLimiter addresses;
  private final StreamPermits streams;
  private final CounterDataPoint limitedSdk;
  private final CounterDataPoint limitedAdmin;
  private final CounterDataPoint limitedAnonymous;
  private final Counter streamsRefused;

  public EdgeLimits(
      EdgeSettings settings,
      Authenticator authenticator,
      PrometheusRegistry registry,
      LongSupplier nanoClock) {
    super(authenticator);
    this.authenticator = authenticator;
    this.settings = settings;
    int keys =
        (int) Math.min(Integer.MAX_VALUE, settings.memoryBudgetBytes() / 2 / BYTES_PER_BUCKET);
    this.credentials = new RateLimiter(nanoClock, settings.burstSeconds(), Math.max(1, keys));
    this.addresses = new RateLimiter(nanoClock, settings.burstSeconds(), Math.max(1, keys));
    this.streams = new StreamPermits(settings.streamsPerNode());
    Counter limited =
        Counter.builder()
            .name("abtest_rate_limited_total")
            .help("Requests refused with 429 by a rate limit, by credential kind")
            .labelNames("kind")
            .register(registry);
    this.limitedSdk = limited.labelValues("sdk_key");
    this.limitedAdmin = limited.labelValues("admin_token");
    this.limitedAnonymous = limited.labelValues("anonymous");
    GaugeWithCallback.builder()
        .name("abtest_rate_limit_buckets")
        .help(
            "Rate-limit buckets held, by scope; each about "
                + BYTES_PER_BUCKET
                + " bytes, idle ones evicted")
        .labelNames("scope")
        .callback(
            cb -> {
              cb.call(credentials.size(), "credential");
              cb.call(addresses.size(), "address");
            })
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_streams_open")
        .help("Open server-sent event and WebSocket streams on this node")
        .callback(cb -> cb.call(streams.open()))
        .register(registry);
    this.streamsRefused =
        Counter.builder()
            .name("abtest_streams_refused_total")
            .help("Streams refused with 429 because a cap was full, by stream and cap")
            .labelNames("stream", "cap")
            .register(registry);
  }

  public EdgeSettings settings() {
    return settings;
  }

  /** Lets the request through (null) or answers it with 429, for whatever path it asks. */
  public Route guard(Route inner) {
    return extractRequest(
        request -> {
          HttpResponse refused = limit(request);
          return refused != null ? complete(refused) : inner;
        });
  }

  HttpResponse limit(HttpRequest request) {
    String path = request.getUri().path();
    if (path.startsWith("/health/") || path.equals("/metrics")) {
      return null;
    }
    Optional<String> authorization = request.getHeader("Authorization").map(HttpHeader::value);
    Optional<Principal> who =
        authorization.isPresent()
            ? identify(authorization)
            // a browser's WebSocket brings its credential as a subprotocol offer
            : request
                .getHeader("Sec-WebSocket-Protocol")
                .flatMap(offer -> WebSocketBearer.token(offer.value()))
                .flatMap(authenticator::identify);
    return who.isPresent() ? limitCredential(who.get()) : limitAddress(request);
  }

  /** Who a request's {@code Authorization} value stands for (the fast path asks once). */
  public Optional<Principal> principal(Optional<String> authorization) {
    return identify(authorization);
  }

  /** Null when the credential may make one more request now; a 429 otherwise. */
  public HttpResponse limitCredential(Principal who) {
    long wait = credentials.acquire(who.id(), perSecond(who));
    if (wait == 0) {
      return null;
    }
    (who.role() == Role.SDK ? limitedSdk : limitedAdmin).inc();
    return tooMany(wait, "this credential is over its rate limit");
  }

  HttpResponse limitAddress(HttpRequest request) {
    String address =
        ClientAddress.of(
            request.getHeader("X-Forwarded-For").map(HttpHeader::value),
            request.getAttribute(AttributeKeys.remoteAddress).flatMap(RemoteAddress::getAddress),
            settings.forwardedHops());
    long wait = addresses.acquire(address, settings.anonymousPerSecond());
    if (wait == 0) {
      return null;
    }
    limitedAnonymous.inc();
    return tooMany(wait, "too many requests without a valid credential from this address");
  }

  /** A credential's own rate, or its kind's default. */
  public int perSecond(Principal who) {
    if (who.rateLimitPerSecond() > 0) {
      return who.rateLimitPerSecond();
    }
    return who.role() == Role.SDK ? settings.sdkKeyPerSecond() : settings.adminPerSecond();
  }

  /**
   * A place for one more stream of this kind ({@code manifest}, {@code results}) for this
   * credential, or the 429 that refuses it.
   */
  public StreamPermits.Outcome openStream(String kind, Principal who, int perCredential) {
    StreamPermits.Outcome outcome = streams.acquire(kind, who.id(), perCredential);
    if (outcome instanceof StreamPermits.Refused refused) {
      streamsRefused.labelValues(kind, refused.scope()).inc();
    }
    return outcome;
  }

  public HttpResponse streamRefusal(StreamPermits.Refused refused) {
    String message =
        refused.scope().equals("node")
            ? "this node has its maximum of " + refused.limit() + " open streams"
            : "this credential has its maximum of "
                + refused.limit()
                + " open streams of this kind";
    return error(new ApiError(429, "too_many_streams", message, null))
        .addHeader(
            RawHeader.create(
                "Retry-After",
                Long.toString(Math.max(1, settings.streamRetryAfter().toSeconds()))));
  }

  private static HttpResponse tooMany(long waitNanos, String message) {
    // whole seconds, rounded up: a client that waits that long finds a token
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    return error(new ApiError(429, "rate_limited", message + "; retry in " + seconds + " s", null))
        .addHeader(RawHeader.create("Retry-After", Long.toString(seconds)));
  }
}
