package org.abtest.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Objects;
import org.abtest.http.ports.AnalysisService;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.ClusterService;
import org.abtest.http.ports.CredentialService;
import org.abtest.http.ports.EventService;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ManifestService;
import org.abtest.http.ports.ReadinessCheck;
import org.abtest.http.ports.ResultsService;

/**
 * What the routes call: the node wires real implementations, route tests wire fakes. Built by name,
 * from {@link #of} and one {@code with…} per port, each returning a new value; a port a test does
 * not exercise stays unset (null), and its routes are not to be called.
 *
 * <pre>{@code
 * ApiServices.of(registry, clock)
 *     .withCredentialStore(store)
 *     .withExperiments(experiments)
 *     .withAssignments(assignments)
 * }</pre>
 */
public record ApiServices(
    Authenticator authenticator,
    ExperimentService experiments,
    CredentialService credentials,
    AssignmentService assignments,
    ManifestService manifests,
    EventService events,
    ResultsService results,
    AnalysisService analysis,
    ReadinessCheck readiness,
    ClusterService cluster,
    PrometheusRegistry registry,
    Clock clock) {

  /** The request metrics and the clock are used whatever the routes: these two are always set. */
  public ApiServices {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(clock, "clock");
  }

  /** No port wired yet. */
  public static ApiServices of(PrometheusRegistry registry, Clock clock) {
    return new ApiServices(
        null, null, null, null, null, null, null, null, null, null, registry, clock);
  }

  /** The one store that both authenticates requests and manages the credentials (as on a node). */
  public <S extends Authenticator & CredentialService> ApiServices withCredentialStore(S store) {
    return withAuthenticator(store).withCredentials(store);
  }

  public ApiServices withAuthenticator(Authenticator authenticator) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withCredentials(CredentialService credentials) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withExperiments(ExperimentService experiments) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withAssignments(AssignmentService assignments) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withManifests(ManifestService manifests) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withEvents(EventService events) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withResults(ResultsService results) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withAnalysis(AnalysisService analysis) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withReadiness(ReadinessCheck readiness) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }

  public ApiServices withCluster(ClusterService cluster) {
    return new ApiServices(
        authenticator,
        experiments,
        credentials,
        assignments,
        manifests,
        events,
        results,
        analysis,
        readiness,
        cluster,
        registry,
        clock);
  }
}
