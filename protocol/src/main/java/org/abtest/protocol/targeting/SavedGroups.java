package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Named lists of ids ("beta testers", "internal staff") that {@code $inGroup} and {@code
 * $notInGroup} refer to by id. They are bound at compile time: a manifest carries its saved groups
 * next to its experiments, so each condition resolves its groups once and matching is a hash
 * lookup. Recompile when the groups change.
 */
public final class SavedGroups {

  /** No saved groups; a strict compile then rejects any {@code $inGroup}. */
  public static final SavedGroups NONE = new SavedGroups(Map.of());

  private final Map<String, ValueSet> groups;

  private SavedGroups(Map<String, ValueSet> groups) {
    this.groups = groups;
  }

  /**
   * From GrowthBook's shape, {@code {"groupId": [id, ...]}}; ids are strings, numbers or booleans.
   *
   * @throws ConditionException if {@code groups} is not an object of arrays (field {@code
   *     savedGroups.groupId})
   */
  public static SavedGroups of(JsonNode groups) {
    if (groups == null || groups.isNull() || groups.isMissingNode()) {
      return NONE;
    }
    if (!groups.isObject()) {
      throw new ConditionException("savedGroups", "expected an object of id arrays");
    }
    Map<String, ValueSet> compiled = new HashMap<>();
    for (Map.Entry<String, JsonNode> group : groups.properties()) {
      if (!group.getValue().isArray()) {
        throw new ConditionException(
            "savedGroups." + group.getKey(), "expected an array of ids, got " + describe(group));
      }
      compiled.put(group.getKey(), ValueSet.of(group.getValue(), false));
    }
    return new SavedGroups(Map.copyOf(compiled));
  }

  /** Groups of string ids, the common case. */
  public static SavedGroups ofStrings(Map<String, ? extends Collection<String>> groups) {
    Map<String, ValueSet> compiled = new HashMap<>();
    groups.forEach(
        (id, members) -> {
          var array = JsonNodeFactory.instance.arrayNode();
          members.forEach(array::add);
          compiled.put(id, ValueSet.of(array, false));
        });
    return new SavedGroups(Map.copyOf(compiled));
  }

  public boolean contains(String groupId) {
    return groups.containsKey(groupId);
  }

  /** The group's members, or null when there is no such group. */
  ValueSet get(String groupId) {
    return groups.get(groupId);
  }

  private static String describe(Map.Entry<String, JsonNode> group) {
    return Comparisons.typeOf(group.getValue());
  }
}
