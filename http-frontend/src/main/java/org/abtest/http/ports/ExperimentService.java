package org.abtest.http.ports;

import java.util.concurrent.CompletionStage;
import org.abtest.protocol.experiment.Experiment;

/** The admin side of experiments. Stages fail with {@link org.abtest.http.ApiError}. */
public interface ExperimentService {
  CompletionStage<Experiment> create(Experiment draft);

  CompletionStage<Experiment> get(String key);

  CompletionStage<Experiment> start(String key);
}
