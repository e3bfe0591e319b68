package org.abtest.http.routes;

import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ClusterService;
import org.abtest.http.ports.Role;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /v1/cluster}: regions, members, shards, manifest versions, consumer lag (viewer). */
public final class ClusterRoutes extends ApiDirectives {

  private final ClusterService cluster;

  public ClusterRoutes(Authenticator authenticator, ClusterService cluster) {
    super(authenticator);
    this.cluster = cluster;
  }

  public Route route() {
    return path(
        "cluster",
        () -> get(() -> authorized(Role::canRead, role -> completeStage(cluster.status(), 200))));
  }
}
