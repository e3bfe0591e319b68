package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.abtest.protocol.CborSerializable;

/**
 * How an experiment runs in one environment ({@link Environments}).
 *
 * @param enabled whether units of that environment's SDK keys are assigned at all
 * @param coverage the environment's own coverage in basis points, replacing the experiment's there,
 *     or null for the experiment's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentSetting(boolean enabled, Integer coverage) implements CborSerializable {}
