package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;
import org.abtest.protocol.CborSerializable;

/**
 * A metric the experiment must not harm: watched continuously, with an always-valid test (the
 * engine's mSPRT confidence sequence of the difference, whatever the experiment's own sequential
 * method), so looking at every change of the totals keeps the false-alarm rate at the experiment's
 * alpha per guardrail and treatment.
 *
 * @param metric the key of one of the experiment's metrics
 * @param direction the harmful direction of the treatment's difference from the baseline
 * @param threshold the tolerated relative change, as a share of the baseline's mean (0.05: a 5 %
 *     increase is tolerated; 0: any confirmed harm counts)
 * @param action what a confirmed violation does (API.md, "Guardrails and ramps")
 */
public record Guardrail(String metric, Direction direction, double threshold, Action action)
    implements CborSerializable {

  /** The largest tolerated relative change a guardrail may state: ten times the baseline. */
  public static final double MAX_THRESHOLD = 10;

  public enum Direction {
    @JsonProperty("increase")
    INCREASE,
    @JsonProperty("decrease")
    DECREASE
  }

  public enum Action {
    @JsonProperty("kill")
    KILL(Lifecycle.KILL),
    @JsonProperty("pause")
    PAUSE(Lifecycle.PAUSE),
    @JsonProperty("alert")
    ALERT(null);

    private final Lifecycle transition;

    Action(Lifecycle transition) {
      this.transition = transition;
    }

    /** The lifecycle action that carries it out, or empty for an alert (nothing changes). */
    public Optional<Lifecycle> transition() {
      return Optional.ofNullable(transition);
    }
  }
}
