package org.abtest.analytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PatientAskTest {

  private final AtomicInteger attempts = new AtomicInteger();
  private final List<Integer> retries = new ArrayList<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final AtomicBoolean current = new AtomicBoolean(true);

  /** Times out {@code timeouts} times, then answers. */
  private CompletionStage<String> slowTarget(int timeouts) {
    return attempts.incrementAndGet() <= timeouts
        ? CompletableFuture.failedFuture(new TimeoutException("no answer"))
        : CompletableFuture.completedFuture("applied");
  }

  @Test
  void aSlowTargetIsAskedAgainUntilItAnswers() throws Exception {
    var answer = PatientAsk.untilAnswered(() -> slowTarget(3), stopped, current::get, retries::add);
    assertThat(answer.toCompletableFuture().get()).isEqualTo("applied");
    assertThat(attempts.get()).isEqualTo(4);
    assertThat(retries).containsExactly(1, 2, 3);
  }

  @Test
  void aPromptAnswerIsAskedOnce() throws Exception {
    var answer = PatientAsk.untilAnswered(() -> slowTarget(0), stopped, current::get, retries::add);
    assertThat(answer.toCompletableFuture().get()).isEqualTo("applied");
    assertThat(attempts.get()).isEqualTo(1);
    assertThat(retries).isEmpty();
  }

  @Test
  void aStoppedTargetFailsTheAskAtItsNextTimeout() {
    stopped.complete(null);
    var answer =
        PatientAsk.untilAnswered(() -> slowTarget(100), stopped, current::get, retries::add);
    assertThatThrownBy(() -> answer.toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(PatientAsk.TargetStopped.class);
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void aReplacedTargetFailsTheAsk() {
    current.set(false);
    var answer =
        PatientAsk.untilAnswered(() -> slowTarget(100), stopped, current::get, retries::add);
    assertThatThrownBy(() -> answer.toCompletableFuture().get())
        .hasCauseInstanceOf(PatientAsk.TargetStopped.class)
        .hasMessageContaining("replaced");
  }

  @Test
  void aFailureOtherThanATimeoutIsNotRetried() {
    var answer =
        PatientAsk.<String>untilAnswered(
            () -> {
              attempts.incrementAndGet();
              return CompletableFuture.failedFuture(new IllegalArgumentException("bad batch"));
            },
            stopped,
            current::get,
            retries::add);
    assertThatThrownBy(() -> answer.toCompletableFuture().get())
        .hasCauseInstanceOf(IllegalArgumentException.class);
    assertThat(attempts.get()).isEqualTo(1);
  }

  @Test
  void aTimeoutThrownInsideACompletionExceptionCountsAsATimeout() throws Exception {
    var answer =
        PatientAsk.untilAnswered(
            () ->
                attempts.incrementAndGet() == 1
                    ? CompletableFuture.supplyAsync(
                        () -> {
                          throw new java.util.concurrent.CompletionException(
                              new TimeoutException("late"));
                        })
                    : CompletableFuture.completedFuture("applied"),
            stopped,
            current::get,
            retries::add);
    assertThat(answer.toCompletableFuture().get()).isEqualTo("applied");
  }
}
