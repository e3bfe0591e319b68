package org.abtest.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * Validates an object against the Kubernetes API's own models ({@code
 * io.kubernetes:client-java-api}, generated from the OpenAPI document of Kubernetes 1.32): unknown
 * fields at any depth, missing required fields and values of the wrong type (numbers, quantities,
 * int-or-string) are errors.
 */
final class KubernetesSchema {

  /** apiVersion/kind → model. A kind we start using is added here, on purpose. */
  private static final Map<String, String> MODELS =
      Map.of(
          "v1/ServiceAccount", "V1ServiceAccount",
          "v1/Service", "V1Service",
          "v1/ConfigMap", "V1ConfigMap",
          "v1/Secret", "V1Secret",
          "apps/v1/Deployment", "V1Deployment",
          "apps/v1/StatefulSet", "V1StatefulSet",
          "policy/v1/PodDisruptionBudget", "V1PodDisruptionBudget",
          "networking.k8s.io/v1/NetworkPolicy", "V1NetworkPolicy",
          "rbac.authorization.k8s.io/v1/Role", "V1Role",
          "rbac.authorization.k8s.io/v1/RoleBinding", "V1RoleBinding");

  private KubernetesSchema() {}

  /** Null when valid, otherwise what is wrong. */
  static String problem(JsonNode object) {
    String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    String model = MODELS.get(type);
    if (model == null) {
      return "no model known for " + type;
    }
    try {
      Class<?> cls = Class.forName("io.kubernetes.client.openapi.models." + model);
      // fromJson checks the fields against the OpenAPI definition, then reads every value
      cls.getMethod("fromJson", String.class).invoke(null, object.toString());
      return null;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      return type + " " + object.path("metadata").path("name").asText() + ": " + cause;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("model " + model + " not usable", e);
    }
  }
}
