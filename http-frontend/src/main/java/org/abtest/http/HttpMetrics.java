package org.abtest.http;

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

  public void record(String resource, String method, int status, long nanos) {
    requests.labelValues(resource, method, Integer.toString(status)).inc();
    latency.labelValues(resource).observe(nanos / 1e9);
  }
}
