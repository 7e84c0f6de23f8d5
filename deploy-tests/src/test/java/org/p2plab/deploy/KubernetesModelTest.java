package org.p2plab.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.ObjectMapper;

/**
 * Every object the chart renders, with every values file, deserializes into its Kubernetes API
 * model from the official Java client ({@code client-java-api}, Kubernetes 1.33). The models
 * reject unknown fields, missing required fields and wrong types, which is what an API server
 * would refuse. A deliberately broken manifest shows that they do.
 */
class KubernetesModelTest {

    /** What the models check: the JSON of one object, thrown at if the API would refuse it. */
    interface Model {
        void validate(String json) throws IOException;
    }

    static final Map<String, Model> MODELS = Map.ofEntries(
            Map.entry("apps/v1/Deployment", V1Deployment::fromJson),
            Map.entry("apps/v1/StatefulSet", V1StatefulSet::fromJson),
            Map.entry("v1/Service", V1Service::fromJson),
            Map.entry("v1/ConfigMap", V1ConfigMap::fromJson),
            Map.entry("v1/Secret", V1Secret::fromJson),
            Map.entry("v1/ServiceAccount", V1ServiceAccount::fromJson),
            Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role::fromJson),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding::fromJson),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget::fromJson),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress::fromJson));
    /** Custom resources: no model in the client; their CRD is the Prometheus Operator's. */
    static final List<String> CUSTOM = List.of("monitoring.coreos.com/v1/ServiceMonitor");

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void needsHelm() {
        Assumptions.assumeTrue(Helm.find().isPresent(), "needs helm: scripts/install-helm.sh");
        HelmChartTest.findHelm();
    }

    @Test
    void everyRenderedObjectIsAValidKubernetesObject() throws IOException {
        for (String[] values : List.of(new String[0], new String[] {"-f", HelmChartTest.MINIMAL},
                new String[] {"-f", HelmChartTest.FULL})) {
            for (Map<String, Object> object : HelmChartTest.render(values)) {
                String type = object.get("apiVersion") + "/" + object.get("kind");
                if (CUSTOM.contains(type)) {
                    continue;
                }
                assertThat(MODELS).as("a model for %s", type).containsKey(type);
                MODELS.get(type).validate(JSON.writeValueAsString(object));
            }
        }
    }

    @Test
    void theModelsRejectWhatAnApiServerWould() {
        Map<String, Object> deployment = HelmChartTest.one(HelmChartTest.render(), "Deployment", "t-gateway");
        String good = JSON.writeValueAsString(deployment);

        String unknownField = good.replace("\"replicas\":1", "\"replica\":1");
        assertThat(unknownField).isNotEqualTo(good);
        assertThatThrownBy(() -> V1Deployment.fromJson(unknownField)).hasMessageContaining("replica");

        String wrongType = good.replace("\"replicas\":1", "\"replicas\":\"one\"");
        assertThat(wrongType).isNotEqualTo(good);
        assertThatThrownBy(() -> V1Deployment.fromJson(wrongType)).isInstanceOf(RuntimeException.class);

        // deep inside the pod template too: a misspelt container security setting
        String nestedTypo = good.replace("\"readOnlyRootFilesystem\":true", "\"readOnlyRootFilesystm\":true");
        assertThat(nestedTypo).isNotEqualTo(good);
        assertThatThrownBy(() -> V1Deployment.fromJson(nestedTypo)).hasMessageContaining("readOnlyRootFilesystm");

        String noContainers = good.replaceFirst("\"containers\":\\[", "\"initContainers\":[");
        assertThatThrownBy(() -> V1Deployment.fromJson(noContainers)).hasMessageContaining("containers");
    }
}
