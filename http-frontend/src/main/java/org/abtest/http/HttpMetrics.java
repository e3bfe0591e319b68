package org.abtest.http;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Request counters and latencies, labelled by resource (never by raw path: keys are unbounded). */
public final class HttpMetrics {

  private final Counter requests;
  private final Histogram latency;

  public HttpMetrics(PrometheusRegistry registry) {
    this.requests =
        Counter.builder()
            .name("abtest_http_requests_total")
            .help("HTTP requests by resource, method and status")
            .labelNames("resource", "method", "status")
            .register(registry);
    this.latency =
        Histogram.builder()
            .name("abtest_http_request_duration_seconds")
            .help("HTTP request latency by resource")
            .labelNames("resource")
            .register(registry);
  }

  /** One resource and method, with its 200s' series looked up once rather than per request. */
  public Endpoint endpoint(String resource, String method) {
    return new Endpoint(
        resource,
        method,
        requests.labelValues(resource, method, "200"),
        latency.labelValues(resource));
  }

  public final class Endpoint {
    private final String resource;
    private final String method;
    private final CounterDataPoint ok;
    private final DistributionDataPoint latency;

    private Endpoint(
        String resource, String method, CounterDataPoint ok, DistributionDataPoint latency) {
      this.resource = resource;
      this.method = method;
      this.ok = ok;
      this.latency = latency;
    }

    public void record(int status, long nanos) {
      if (status == 200) {
        ok.inc();
        latency.observe(nanos / 1e9);
      } else {
        HttpMetrics.this.record(resource, method, status, nanos);
      }
    }
  }

  public void record(String resource, String method, int status, long nanos) {
    requests.labelValues(resource, method, Integer.toString(status)).inc();
    latency.labelValues(resource).observe(nanos / 1e9);
  }
}
