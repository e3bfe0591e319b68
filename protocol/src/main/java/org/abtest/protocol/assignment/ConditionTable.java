package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.targeting.Condition;
import org.abtest.protocol.targeting.Conditions;

/**
 * The distinct targeting conditions of a manifest, each compiled once and given a slot. Manifests
 * repeat targeting (the same countries, the same platform across many experiments), so one
 * evaluation tests each distinct condition at most once, however many experiments share it.
 * Conditions are the same when their JSON is equal; a condition is a pure function of the
 * attributes, so sharing its answer within one evaluation changes no assignment.
 */
final class ConditionTable {

  /** The slot of "no targeting": everybody matches and nothing is tested. */
  static final int EVERYONE = -1;

  private final Map<JsonNode, Integer> slots = new HashMap<>();
  private final List<Condition> conditions = new ArrayList<>();

  /** The condition's slot, compiled strictly on first sight (a bad condition throws). */
  int slotOf(JsonNode targeting) {
    if (targeting == null
        || targeting.isNull()
        || targeting.isMissingNode()
        || (targeting.isObject() && targeting.isEmpty())) {
      return EVERYONE;
    }
    Integer slot = slots.get(targeting);
    if (slot == null) {
      Condition compiled = Conditions.compile(targeting);
      slot = conditions.size();
      conditions.add(compiled);
      slots.put(targeting.deepCopy(), slot);
    }
    return slot;
  }

  Condition[] toArray() {
    return conditions.toArray(Condition[]::new);
  }
}
