package org.abtest.benchmarks;

import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Map;
import org.abtest.http.ApiRoutes;
import org.abtest.http.ApiServices;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.EventLimits;
import org.abtest.node.assignment.LocalAssignmentService;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.node.credentials.DevCredentials;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Three endpoints in one JVM for deploy/load/assignments.sh. On the first port, what a node binds
 * ({@link ApiRoutes#handler}): every route of the API, dev credentials checked by their SHA-256,
 * the node's own assignment service over a compiled manifest of the 50-experiment scenario, request
 * metrics; exposure logging off, as the load requests ask. On the second, a bare pekko-http route
 * that answers every POST with a fixed body of the same size; on the third, the barest endpoint
 * pekko-http has, a request handler function answering that body. Usage: {@code java -cp
 * benchmarks.jar org.abtest.benchmarks.LoadServers 18080 18081 18082}.
 */
public final class LoadServers extends AllDirectives {

  static final String KEY = "sdk_load_key";

  private LoadServers() {}

  public static void main(String[] args) throws Exception {
    int ours = Integer.parseInt(args[0]);
    int bare = Integer.parseInt(args[1]);
    int bareHandler = Integer.parseInt(args[2]);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "load");
    ManifestHolder manifests = new ManifestHolder();
    manifests.offer(new OurSdk(Scenario.specs(50)).compiled().manifest());
    PrometheusRegistry registry = new PrometheusRegistry();
    AssignmentService service =
        new LocalAssignmentService(
            manifests,
            null,
            // the node's own limits; no Kafka here, so no record limit to derive
            EventLimits.from(ConfigFactory.load().getConfig("abtest.events"), Integer.MAX_VALUE),
            Clock.systemUTC(),
            registry);
    DevCredentials credentials = new DevCredentials("adm_load_token", KEY);
    var services =
        ApiServices.of(registry, Clock.systemUTC())
            .withAuthenticator(credentials)
            .withAssignments(service)
            .withManifests(manifests);
    // The fixed body: what our endpoint answers for a typical user of the scenario.
    byte[] fixed =
        Json.mapper()
            .writeValueAsBytes(
                service.assign(
                    "user-42",
                    Json.mapper()
                        .valueToTree(
                            Map.of(
                                "country",
                                "US",
                                "platform",
                                "ios",
                                "appVersion",
                                "3.1.0",
                                "age",
                                41)),
                    false));
    LoadServers d = new LoadServers();
    Route bareRoute =
        d.post(
            () ->
                d.complete(HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, fixed)));
    HttpResponse fixedResponse =
        HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, fixed);
    Http http = Http.get(system);
    http.newServerAt("127.0.0.1", ours)
        .bind(new ApiRoutes(services).handler(system))
        .toCompletableFuture()
        .get();
    http.newServerAt("127.0.0.1", bare).bind(bareRoute).toCompletableFuture().get();
    http.newServerAt("127.0.0.1", bareHandler)
        .bindSync(request -> fixedResponse)
        .toCompletableFuture()
        .get();
    System.out.println(
        "ours on "
            + ours
            + ", bare route on "
            + bare
            + ", bare handler on "
            + bareHandler
            + ", fixed body "
            + fixed.length
            + " bytes");
  }
}
