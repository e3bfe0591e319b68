package org.abtest.node.aggregation;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.abtest.analytics.results.GuardrailWatch;
import org.abtest.analytics.results.ResultsDocument.GuardrailResult;
import org.abtest.http.ports.ExperimentService;
import org.abtest.node.webhooks.Announcement;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.RampHalt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a violated guardrail's action through the same path as a person's: a kill or pause is
 * the experiment entity's transition, recorded as made by {@link #AUTHOR} with the guardrail and
 * its evidence as the reason; an alert is logged and counted. A transition the entity refuses
 * (already killed, paused meanwhile) changes nothing.
 */
final class GuardrailActions implements GuardrailWatch.Sink {

  /** Who a guardrail's action is recorded as. */
  static final Author AUTHOR = new Author("system", "guardrail");

  private static final Logger log = LoggerFactory.getLogger(GuardrailActions.class);

  private final ExperimentService experiments;
  private final Counter violations;
  private final Consumer<Announcement> announcements;

  /** {@code announcements}: the webhooks, told of every violation handed on (never blocking). */
  GuardrailActions(
      ExperimentService experiments,
      PrometheusRegistry registry,
      Consumer<Announcement> announcements) {
    this.experiments = experiments;
    this.announcements = announcements;
    this.violations =
        Counter.builder()
            .name("abtest_guardrail_violations_total")
            .help("Violated guardrails handed on for their action, by action")
            .labelNames("action")
            .register(registry);
  }

  /**
   * A ramping experiment widens no further (and rolls back when its plan says so); done before the
   * pause, whose new version would make this change stale. Completes either way.
   */
  private CompletionStage<?> haltRamp(
      Experiment experiment, Guardrail.Action action, String reason) {
    Optional<ExperimentPatch> halt = RampHalt.of(experiment, action, reason);
    if (halt.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return experiments
        .patch(experiment.key(), experiment.version(), halt.get(), false, AUTHOR)
        .handle(
            (done, failure) -> {
              if (failure == null) {
                log.warn("ramp of '{}' halted: {}", experiment.key(), reason);
              } else {
                // resent within GuardrailWatch.RESEND_AFTER while it is still violated
                log.info("ramp halt of '{}' not taken: {}", experiment.key(), failure.toString());
              }
              return null;
            });
  }

  @Override
  public void violated(Experiment experiment, GuardrailResult guardrail) {
    violations.labelValues(guardrail.action()).inc();
    Optional<Guardrail> declared =
        experiment.guardrails().stream()
            .filter(g -> g.metric().equals(guardrail.metric()))
            .findFirst();
    Optional<Lifecycle> action = declared.flatMap(g -> g.action().transition());
    String reason = GuardrailWatch.reason(guardrail);
    CompletionStage<?> halted =
        declared.isPresent()
            ? haltRamp(experiment, declared.get().action(), reason)
            : CompletableFuture.completedFuture(null);
    announcements.accept(
        new Announcement(
            UUID.randomUUID().toString(),
            "guardrail",
            experiment.key(),
            guardrail.action(),
            experiment.status().name(),
            reason,
            AUTHOR.id() + "/" + AUTHOR.name(),
            Instant.now()));
    if (action.isEmpty()) {
      log.warn("guardrail alert for experiment '{}': {}", experiment.key(), reason);
      return;
    }
    halted
        .thenCompose(
            ignored -> experiments.transition(experiment.key(), action.get(), AUTHOR, reason))
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                log.warn(
                    "experiment '{}' {} by its guardrail: {}",
                    experiment.key(),
                    done.experiment().status(),
                    reason);
              } else {
                log.info(
                    "guardrail action on '{}' not taken: {}", experiment.key(), failure.toString());
              }
            });
  }
}
