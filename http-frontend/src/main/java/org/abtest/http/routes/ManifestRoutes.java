package org.abtest.http.routes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.abtest.http.limits.EdgeLimits;
import org.abtest.http.limits.StreamPermits;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.ManifestService;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.manifest.SdkManifest;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code GET /v1/manifest} (ETag = the manifest version, {@code If-None-Match} gives 304) and
 * {@code GET /v1/manifest/stream}, server-sent events with one {@code manifest} event per new
 * version and heartbeats in between. For SDK keys and every admin role. What is served is the SDK
 * view of the manifest ({@link SdkManifest}); an obfuscated SDK key gets the view with hashed keys,
 * under its own ETag ({@code "17h"} beside {@code "17"}), so a cache never mixes the two.
 *
 * <p>The stream watches the node's snapshot at a short interval instead of subscribing to the
 * evaluator: nothing to unsubscribe when a client goes away, and a change reaches clients within
 * the interval. {@code Last-Event-ID} (the version the client has) skips a resend on reconnect.
 * Open streams are capped per credential and per node ({@link EdgeLimits}): over a cap, 429.
 */
public final class ManifestRoutes extends ApiDirectives {

  private static final Duration WATCH_INTERVAL = Duration.ofMillis(100);

  private static final String STREAM_KIND = "manifest";

  private final ManifestService manifests;
  private final EdgeLimits edge;
  private final byte[] emptyJson;
  private final byte[] emptyObfuscatedJson;

  public ManifestRoutes(Authenticator authenticator, ManifestService manifests, EdgeLimits edge) {
    super(authenticator);
    this.manifests = manifests;
    this.edge = edge;
    try {
      this.emptyJson = Json.mapper().writeValueAsBytes(SdkManifest.EMPTY);
      this.emptyObfuscatedJson =
          Json.mapper().writeValueAsBytes(new SdkManifest(0, true, List.of(), null));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Route route() {
    return pathPrefix(
        "manifest",
        () ->
            authorizedAs(
                role -> true,
                who ->
                    get(
                        () ->
                            concat(
                                pathEnd(() -> current(who.servedEnvironment(), who.obfuscated())),
                                path("stream", () -> stream(who))))));
  }

  /**
   * Before the first manifest the node serves the empty one (version 0): everyone gets defaults.
   */
  private Route current(String environment, boolean obfuscated) {
    return optionalHeaderValueByName(
        "If-None-Match",
        ifNoneMatch -> {
          ManifestService.Served served =
              manifests
                  .served(environment, obfuscated)
                  .orElse(
                      new ManifestService.Served(0, obfuscated ? emptyObfuscatedJson : emptyJson));
          String etag = etag(served.version(), obfuscated, environment);
          RawHeader etagHeader = RawHeader.create("ETag", etag);
          // the body depends on the credential: shared caches must key on it
          RawHeader vary = RawHeader.create("Vary", "Authorization");
          if (ifNoneMatch.map(h -> matches(h, etag)).orElse(false)) {
            return complete(
                HttpResponse.create()
                    .withStatus(StatusCodes.NOT_MODIFIED)
                    .addHeader(etagHeader)
                    .addHeader(vary));
          }
          return complete(
              HttpResponse.create()
                  .withStatus(200)
                  .addHeader(etagHeader)
                  .addHeader(vary)
                  .withEntity(ContentTypes.APPLICATION_JSON, served.json()));
        });
  }

  /** The ETag of one view of one version: the views of a version differ, so their tags do. */
  /**
   * The version, marked for the hashed view and for an environment other than the default (each
   * environment's body of one version differs, and a client may change keys).
   */
  static String etag(long version, boolean obfuscated, String environment) {
    return "\""
        + version
        + (obfuscated ? "h" : "")
        + (Environments.DEFAULT.equals(environment) ? "" : "@" + environment)
        + "\"";
  }

  /** Whether an {@code If-None-Match} value (a list, weak tags, or *) matches this ETag. */
  public static boolean matches(String ifNoneMatch, String etag) {
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals("*") || tag.equals(etag)) {
        return true;
      }
    }
    return false;
  }

  private Route stream(Principal who) {
    return optionalHeaderValueByName(
        "Last-Event-ID",
        lastEventId -> {
          long known = lastEventId.map(ManifestRoutes::parseVersion).orElse(-1L);
          StreamPermits.Outcome outcome =
              edge.openStream(STREAM_KIND, who, edge.settings().manifestStreamsPerCredential());
          if (outcome instanceof StreamPermits.Refused refused) {
            return complete(edge.streamRefusal(refused));
          }
          StreamPermits.Permit permit = (StreamPermits.Permit) outcome;
          return completeOK(
              events(known, who.servedEnvironment(), who.obfuscated())
                  .watchTermination(
                      (notUsed, done) -> {
                        done.whenComplete((ok, failure) -> permit.release());
                        return notUsed;
                      }),
              EventStreamMarshalling.toEventStream());
        });
  }

  private Source<ServerSentEvent, NotUsed> events(
      long known, String environment, boolean obfuscated) {
    long heartbeatEvery =
        Math.max(1, edge.settings().streamHeartbeat().toMillis() / WATCH_INTERVAL.toMillis());
    return Source.tick(Duration.ZERO, WATCH_INTERVAL, NotUsed.getInstance())
        .statefulMap(
            () -> new long[] {known, 0},
            (state, tick) -> {
              // state[0]: the version the client has; state[1]: ticks since the last event
              Optional<ManifestService.Served> served = manifests.served(environment, obfuscated);
              if (served.isPresent() && served.get().version() > state[0]) {
                state[0] = served.get().version();
                state[1] = 0;
                String data = new String(served.get().json(), StandardCharsets.UTF_8);
                return Pair.create(
                    state,
                    List.of(ServerSentEvent.create(data, "manifest", Long.toString(state[0]))));
              }
              if (++state[1] >= heartbeatEvery) {
                state[1] = 0;
                return Pair.create(state, List.of(ServerSentEvent.heartbeat()));
              }
              return Pair.create(state, List.<ServerSentEvent>of());
            },
            state -> Optional.empty())
        .mapConcat(events -> events)
        .mapMaterializedValue(cancellable -> NotUsed.getInstance());
  }

  private static long parseVersion(String id) {
    try {
      return Long.parseLong(id.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
