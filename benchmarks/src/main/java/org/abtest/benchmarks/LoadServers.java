package org.abtest.benchmarks;

import java.util.Map;
import java.util.Optional;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.Role;
import org.abtest.http.routes.AssignmentRoutes;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Two endpoints in one JVM for deploy/load/assignments.sh: on the first port our real {@code POST
 * /v1/assignments} route (auth, JSON parsing, validation, evaluation of the 50-experiment scenario,
 * JSON writing; exposure logging off, as the load requests ask), on the second a bare pekko-http
 * route that answers every POST with a fixed body of the same size. Usage: {@code java -cp
 * benchmarks.jar org.abtest.benchmarks.LoadServers 18080 18081}.
 */
public final class LoadServers extends AllDirectives {

  static final String KEY = "load-sdk-key";

  private LoadServers() {}

  public static void main(String[] args) throws Exception {
    int ours = Integer.parseInt(args[0]);
    int bare = Integer.parseInt(args[1]);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "load");
    CompiledManifest manifest = new OurSdk(Scenario.specs(50)).compiled();
    AssignmentService service =
        (unit, attributes, log) ->
            new AssignmentService.Result(
                unit, manifest.version(), manifest.evaluate(unit, attributes));
    Route assignments =
        new LoadServers()
            .pathPrefix(
                "v1",
                () ->
                    new AssignmentRoutes(
                            token -> KEY.equals(token) ? Optional.of(Role.SDK) : Optional.empty(),
                            service)
                        .route());
    // The fixed body: what our route answers for a typical user of the scenario.
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
    Http.get(system).newServerAt("127.0.0.1", ours).bind(assignments).toCompletableFuture().get();
    Http.get(system).newServerAt("127.0.0.1", bare).bind(bareRoute).toCompletableFuture().get();
    System.out.println(
        "ours on " + ours + ", bare on " + bare + ", fixed body " + fixed.length + " bytes");
  }
}
