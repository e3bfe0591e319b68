package org.abtest.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The validator has teeth: the mistakes people make in manifests are caught. */
class KubernetesSchemaTest {

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: d}
      spec:
        replicas: 2
        selector: {matchLabels: {app: d}}
        template:
          metadata: {labels: {app: d}}
          spec:
            containers:
              - name: c
                image: i
                ports: [{name: http, containerPort: 8080}]
                readinessProbe: {httpGet: {path: /health/ready, port: http}}
                resources: {requests: {cpu: "1", memory: 1Gi}, limits: {memory: 1Gi}}
      """;

  private static ObjectNode deployment() throws Exception {
    return (ObjectNode) Rendered.parse(DEPLOYMENT).get(0);
  }

  private static ObjectNode container(JsonNode d) {
    return (ObjectNode) d.path("spec").path("template").path("spec").path("containers").get(0);
  }

  @Test
  void aValidDeploymentPasses() throws Exception {
    assertThat(KubernetesSchema.problem(deployment())).isNull();
  }

  @Test
  void aMisspelledFieldDeepInsideIsCaught() throws Exception {
    ObjectNode d = deployment();
    ((ObjectNode) container(d).path("readinessProbe").path("httpGet")).put("pathh", "/x");
    assertThat(KubernetesSchema.problem(d)).contains("pathh");
  }

  @Test
  void aMissingRequiredFieldIsCaught() throws Exception {
    ObjectNode d = deployment();
    container(d).remove("name");
    assertThat(KubernetesSchema.problem(d)).contains("name");
  }

  @Test
  void aWordWhereANumberBelongsIsCaught() throws Exception {
    ObjectNode d = deployment();
    ((ObjectNode) d.path("spec")).put("replicas", "three");
    assertThat(KubernetesSchema.problem(d)).isNotNull();
  }

  @Test
  void aMalformedQuantityIsCaught() throws Exception {
    ObjectNode d = deployment();
    ((ObjectNode) container(d).path("resources").path("limits")).put("memory", "lots");
    assertThat(KubernetesSchema.problem(d)).isNotNull();
  }

  @Test
  void aKindInTheWrongApiGroupIsCaught() throws Exception {
    ObjectNode d = deployment();
    d.put("apiVersion", "v1");
    assertThat(KubernetesSchema.problem(d)).contains("no model");
  }
}
