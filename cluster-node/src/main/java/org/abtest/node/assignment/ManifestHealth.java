package org.abtest.node.assignment;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The alert for experiments served as off because they cannot be built: a gauge an operator can
 * page on (the log line and the {@code /health/ready} detail name the experiments).
 */
public final class ManifestHealth {

  public static final String DEGRADED_GAUGE = "abtest_manifest_degraded_experiments";

  private ManifestHealth() {}

  public static void register(PrometheusRegistry registry, ManifestHolder manifests) {
    GaugeWithCallback.builder()
        .name(DEGRADED_GAUGE)
        .help("Running experiments this node serves as off because they cannot be built")
        .callback(callback -> callback.call(manifests.degraded().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_ended_experiments")
        .help(
            "Experiments that left the live set within abtest.events.ended-grace: exposures made"
                + " before they left are still judged against the manifest of then")
        .callback(callback -> callback.call(manifests.ended().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_manifest_views")
        .help(
            "Manifest views this node evaluates and serves: the whole manifest, one per environment"
                + " an experiment's settings name (at most 32), and the other environments' one")
        .callback(callback -> callback.call(manifests.views()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_manifest_view_bytes")
        .help("Serialized bytes of those views' SDK manifests, plain and obfuscated")
        .callback(callback -> callback.call(manifests.viewBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("abtest_ended_experiments_bytes")
        .help("Serialized bytes of the manifests kept for them (abtest.events.ended-budget)")
        .callback(callback -> callback.call(manifests.ended().bytes()))
        .register(registry);
  }
}
