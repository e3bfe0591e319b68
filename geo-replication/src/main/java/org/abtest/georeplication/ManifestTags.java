package org.abtest.georeplication;

/**
 * The tag of every event that shapes a region's manifest (experiment and layer events). Per region,
 * because with a journal shared by replicas each region's projection follows its own replica, which
 * holds the events of every region once replicated.
 */
public final class ManifestTags {

  private ManifestTags() {}

  public static String forRegion(String region) {
    return "manifest-" + region;
  }
}
