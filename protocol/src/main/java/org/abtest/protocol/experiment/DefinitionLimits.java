package org.abtest.protocol.experiment;

import java.util.function.ToIntFunction;

/**
 * How large an experiment definition may be, so that every accepted one can be built into a
 * manifest, serialized, replicated and evaluated (a variant config nested a thousand levels deep
 * once made every manifest unbuildable). The values are {@code abtest.experiments.limits.*} in
 * protocol's {@code reference.conf}, each with an {@code ABTEST_...} override; {@link #read} takes
 * them from there, so they are defined once.
 *
 * @param maxJsonDepth deepest nesting of a variant config or of targeting (an object is 1 deep)
 * @param maxConfigBytes largest variant config, as compact JSON
 * @param maxTargetingBytes largest targeting condition, as compact JSON
 * @param maxVariants most variants of one experiment
 * @param maxMetrics most metrics of one experiment
 * @param maxOverrides most forced assignments (override unit ids) of one experiment
 * @param maxUnitIdChars longest override unit id
 * @param maxTextChars longest name or hypothesis
 */
public record DefinitionLimits(
    int maxJsonDepth,
    int maxConfigBytes,
    int maxTargetingBytes,
    int maxVariants,
    int maxMetrics,
    int maxOverrides,
    int maxUnitIdChars,
    int maxTextChars) {

  /** Where the values live in configuration. */
  public static final String CONFIG_PATH = "abtest.experiments.limits";

  public DefinitionLimits {
    if (maxJsonDepth < 1
        || maxConfigBytes < 2
        || maxTargetingBytes < 2
        || maxVariants < 1
        || maxMetrics < 0
        || maxOverrides < 0
        || maxUnitIdChars < 1
        || maxTextChars < 1) {
      throw new IllegalArgumentException("definition limits out of range: " + maxJsonDepth);
    }
  }

  /**
   * @param setting the integer at a path under {@link #CONFIG_PATH}, such as {@code
   *     config.getInt(CONFIG_PATH + "." + name)}
   */
  public static DefinitionLimits read(ToIntFunction<String> setting) {
    return new DefinitionLimits(
        setting.applyAsInt("max-json-depth"),
        setting.applyAsInt("max-config-bytes"),
        setting.applyAsInt("max-targeting-bytes"),
        setting.applyAsInt("max-variants"),
        setting.applyAsInt("max-metrics"),
        setting.applyAsInt("max-overrides"),
        setting.applyAsInt("max-unit-id-chars"),
        setting.applyAsInt("max-text-chars"));
  }
}
