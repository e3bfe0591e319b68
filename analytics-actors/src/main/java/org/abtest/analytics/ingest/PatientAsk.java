package org.abtest.analytics.ingest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * An idempotent ask repeated after each timeout for as long as its target lives and is still the
 * one we mean. A unit-state actor that is merely slow (a long snapshot encoding, a collection under
 * pressure) must hold up its partition, not fail the consumer: a failed consumer restarts every
 * partition from its snapshot, which decodes every state again while the old ones are still in the
 * heap, the surest way to run out of memory exactly when memory is short. Repeating is harmless
 * because the actor skips records below its next offset. A stopped or replaced target fails the
 * ask; the caller drops the batch when its partition has moved on (a rebalance: the next owner
 * reads it again), and otherwise fails the stream, which restarts from the snapshots.
 */
final class PatientAsk {

  /** The target stopped (failed or was stopped) before it answered. */
  static final class TargetStopped extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TargetStopped(String message) {
      super(message);
    }
  }

  private PatientAsk() {}

  /**
   * @param attempt one ask, failing with a {@link TimeoutException} when it was not answered in
   *     time
   * @param stopped completes when the target has stopped
   * @param current whether the target is still the one this ask is for
   * @param onRetry told the number of the attempt about to be repeated (for a log line)
   */
  static <T> CompletionStage<T> untilAnswered(
      Supplier<CompletionStage<T>> attempt,
      CompletionStage<?> stopped,
      BooleanSupplier current,
      IntConsumer onRetry) {
    return next(attempt, stopped.toCompletableFuture(), current, onRetry, 1);
  }

  private static <T> CompletionStage<T> next(
      Supplier<CompletionStage<T>> attempt,
      CompletableFuture<?> stopped,
      BooleanSupplier current,
      IntConsumer onRetry,
      int number) {
    return attempt
        .get()
        .handle(
            (value, failure) -> {
              if (failure == null) {
                return CompletableFuture.completedFuture(value);
              }
              Throwable cause =
                  failure instanceof CompletionException && failure.getCause() != null
                      ? failure.getCause()
                      : failure;
              if (!(cause instanceof TimeoutException)) {
                return CompletableFuture.<T>failedFuture(cause);
              }
              if (stopped.isDone()) {
                return CompletableFuture.<T>failedFuture(
                    new TargetStopped("the target stopped before it answered"));
              }
              if (!current.getAsBoolean()) {
                return CompletableFuture.<T>failedFuture(
                    new TargetStopped("the target was replaced before it answered"));
              }
              onRetry.accept(number);
              return next(attempt, stopped, current, onRetry, number + 1);
            })
        .thenCompose(stage -> stage);
  }
}
