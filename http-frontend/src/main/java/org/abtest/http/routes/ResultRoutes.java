package org.abtest.http.routes;

import static org.apache.pekko.http.javadsl.server.PathMatchers.segment;

import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ResultsService;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /v1/experiments/{key}/results} and {@code .../results/timeseries}. */
public final class ResultRoutes extends ApiDirectives {

  private final ResultsService results;

  public ResultRoutes(Authenticator authenticator, ResultsService results) {
    super(authenticator);
    this.results = results;
  }

  public Route route() {
    return concat(
        path(
            segment("experiments").slash(segment()).slash("results"),
            key ->
                get(
                    () ->
                        authorized(
                            Role::canRead, role -> completeStage(results.results(key), 200)))),
        path(
            segment("experiments").slash(segment()).slash("results").slash("timeseries"),
            key ->
                get(
                    () ->
                        authorized(
                            Role::canRead, role -> completeStage(results.timeseries(key), 200)))));
  }
}
