package org.abtest.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The manifest as SDKs download it ({@code GET /v1/manifest}): only what evaluation needs. SDK keys
 * ship inside web pages and apps, so this is public: no names, hypotheses, metrics or layer keys,
 * and QA override unit ids only as keyed hashes ({@link SdkKeys}). Built from the internal {@link
 * Manifest} by {@link SdkView}, in one place.
 *
 * @param obfuscated whether experiment and variant keys are keyed hashes too (an SDK key created
 *     with {@code "obfuscated": true})
 * @param holdout the global holdout, or null when there is none
 * @param shipped concluded experiments serving one variant to everyone they target, in the form of
 *     {@code experiments} (one variant of full weight and coverage, no layer, no overrides):
 *     evaluated after them, never exposed. Written only when not empty.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SdkManifest(
    long version,
    boolean obfuscated,
    List<SdkExperiment> experiments,
    Holdout holdout,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SdkExperiment> shipped) {

  public static final SdkManifest EMPTY = new SdkManifest(0, false, List.of(), null);

  public SdkManifest {
    experiments = experiments == null ? List.of() : List.copyOf(experiments);
    shipped = shipped == null ? List.of() : List.copyOf(shipped);
  }

  /** A manifest that ships nothing. */
  public SdkManifest(
      long version, boolean obfuscated, List<SdkExperiment> experiments, Holdout holdout) {
    this(version, obfuscated, experiments, holdout, List.of());
  }
}
