package io.taskcenter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The manifests in a {@code kubernetes/} directory, parsed into the fabric8 Kubernetes model, and the checks that
 * tie them to the code. Every check throws an {@link AssertionError} naming the file and field that drifted.
 */
final class Manifests {

    static final String KUSTOMIZATION = "kustomization.yaml";
    /** Placeholder credentials: parsed and checked, but not part of the kustomization (README.md says why). */
    static final String SECRET_TEMPLATE = "secret-template.yaml";
    static final String PLACEHOLDER = "CHANGE_ME";
    /** What the shutdown needs after the drain: closing sockets, the nacks, stopping the JVM. */
    static final Duration SHUTDOWN_MARGIN = Duration.ofSeconds(5);

    /** The kinds the manifests may hold, by apiVersion and kind. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "apps/v1 Deployment", Deployment.class,
            "v1 Service", Service.class,
            "v1 ConfigMap", ConfigMap.class,
            "v1 Secret", Secret.class,
            "policy/v1 PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private static final YAMLMapper YAML = new YAMLMapper();
    /** As strict as the API server where Jackson is lenient by default: no "8080" or 1.5 for an int, no null for a primitive. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** One YAML document of one file. */
    record Doc(String file, int index, JsonNode tree, HasMetadata object) {
        String where() {
            return file + " #" + (index + 1) + " (" + object.getKind() + " " + object.getMetadata().getName() + ")";
        }
    }

    final Path dir;
    final Settings settings;
    final List<Doc> docs;
    final JsonNode kustomization;

    private Manifests(Path dir, Settings settings, List<Doc> docs, JsonNode kustomization) {
        this.dir = dir;
        this.settings = settings;
        this.docs = docs;
        this.kustomization = kustomization;
    }

    /** Parses every document of every {@code *.yaml} (or {@code .yml}) in {@code dir} (not its subdirectories) into its model type. */
    static Manifests load(Path dir, Settings settings) throws IOException {
        List<Doc> docs = new ArrayList<>();
        JsonNode kustomization = null;
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Manifests::isYaml).sorted().toList();
        }
        for (Path path : files) {
            String file = path.getFileName().toString();
            List<JsonNode> trees = readYaml(Files.readString(path, StandardCharsets.UTF_8), file);
            if (file.equals(KUSTOMIZATION)) {
                assertThat(trees).as(file + ": one document").hasSize(1);
                kustomization = trees.get(0);
                continue;
            }
            for (int i = 0; i < trees.size(); i++) {
                JsonNode tree = trees.get(i);
                String type = tree.path("apiVersion").asText() + " " + tree.path("kind").asText();
                Class<? extends HasMetadata> model = KINDS.get(type);
                if (model == null) {
                    fail("%s #%d: unexpected apiVersion and kind '%s'; expected one of %s", file, i + 1, type,
                            new TreeSet<>(KINDS.keySet()));
                }
                try {
                    docs.add(new Doc(file, i, tree, JSON.treeToValue(tree, model)));
                } catch (IOException e) {
                    throw new AssertionError(file + " #" + (i + 1) + " is not a valid " + type + ": " + e.getMessage(), e);
                }
            }
        }
        assertThat(kustomization).as(dir + " has a " + KUSTOMIZATION).isNotNull();
        return new Manifests(dir, settings, docs, kustomization);
    }

    private static boolean isYaml(Path path) {
        String name = path.getFileName().toString();
        return Files.isRegularFile(path) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    static List<JsonNode> readYaml(String text, String source) throws IOException {
        try {
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll().stream()
                    .filter(node -> node != null && !node.isNull() && !node.isMissingNode())
                    .toList();
        } catch (IOException e) {
            throw new AssertionError(source + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Lookups

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return docs.stream().map(Doc::object).filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type);
        assertThat(found).as("exactly one " + type.getSimpleName() + " in " + dir).hasSize(1);
        return found.get(0);
    }

    private <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(object -> object.getMetadata().getName().equals(name)).findFirst();
    }

    Deployment deployment() {
        return one(Deployment.class);
    }

    PodTemplateSpec template() {
        return deployment().getSpec().getTemplate();
    }

    /** The service's container: the one whose name is the artifactId. */
    Container container() {
        List<Container> containers = template().getSpec().getContainers();
        return containers.stream().filter(c -> settings.artifactId.equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container named '" + settings.artifactId + "' (the artifactId) in "
                        + containers.stream().map(Container::getName).toList()));
    }

    /** A port of the container, by number or by name, as the number it stands for. */
    int resolvePort(IntOrString port, String what) {
        assertThat(port).as(what + ": port").isNotNull();
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container().getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst()
                .orElseThrow(() -> new AssertionError(what + ": port '" + port.getStrVal()
                        + "' is not a named port of the container"));
    }

    /** The keys of a ConfigMap or Secret of the manifests, for envFrom and key references. */
    private Map<String, String> keysOf(String kind, String name, String what) {
        if (kind.equals("ConfigMap")) {
            ConfigMap map = named(ConfigMap.class, name)
                    .orElseThrow(() -> new AssertionError(what + ": no ConfigMap '" + name + "' in " + dir));
            return map.getData() == null ? Map.of() : map.getData();
        }
        Secret secret = named(Secret.class, name)
                .orElseThrow(() -> new AssertionError(what + ": no Secret '" + name + "' in " + dir
                        + " (not even in " + SECRET_TEMPLATE + ")"));
        Map<String, String> keys = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().keySet().forEach(key -> keys.put(key, null));
        }
        if (secret.getStringData() != null) {
            keys.putAll(secret.getStringData());
        }
        return keys;
    }

    /**
     * The container's environment as Kubernetes builds it: the keys of every envFrom source (with its prefix),
     * then the env entries, which win. Values are known for ConfigMap entries and literal values.
     */
    Map<String, Optional<String>> environment() {
        Container container = container();
        Map<String, Optional<String>> env = new LinkedHashMap<>();
        for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            String prefix = Objects.requireNonNullElse(from.getPrefix(), "");
            if (from.getConfigMapRef() != null) {
                keysOf("ConfigMap", from.getConfigMapRef().getName(), "envFrom")
                        .forEach((key, value) -> env.put(prefix + key, Optional.ofNullable(value)));
            } else if (from.getSecretRef() != null) {
                keysOf("Secret", from.getSecretRef().getName(), "envFrom")
                        .forEach((key, value) -> env.put(prefix + key, Optional.empty()));
            }
        }
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            String value = variable.getValue();
            if (variable.getValueFrom() != null && variable.getValueFrom().getConfigMapKeyRef() != null) {
                ConfigMapKeySelector ref = variable.getValueFrom().getConfigMapKeyRef();
                value = keysOf("ConfigMap", ref.getName(), "env " + variable.getName()).get(ref.getKey());
            }
            env.put(variable.getName(), Optional.ofNullable(value));
        }
        return env;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Checks

    /**
     * No field the model does not know: fabric8 keeps unknown fields in {@code additionalProperties} instead of
     * failing, so walk every model object and fail on any, with its path.
     */
    void checkNoUnknownFields() {
        List<String> unknown = new ArrayList<>();
        for (Doc doc : docs) {
            walk(doc.object(), doc.where() + " ", unknown, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        assertThat(unknown).as("fields the Kubernetes model does not know (typos, or wrong nesting)").isEmpty();
    }

    private static void walk(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> walk(element, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.") || !seen.add(value)) {
            return;
        }
        for (Class<?> type = value.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        unknown.add(path.strip() + ": " + extra.keySet());
                    }
                } else {
                    JsonProperty json = field.getAnnotation(JsonProperty.class);
                    String name = json != null && !json.value().isEmpty() ? json.value() : field.getName();
                    walk(fieldValue, path.endsWith(" ") ? path + name : path + "." + name, unknown, seen);
                }
            }
        }
    }

    /**
     * String maps hold strings: Jackson would read {@code port: 8080} into a {@code Map<String, String>}, but the
     * API server rejects a number or a boolean in labels, annotations, selectors or ConfigMap/Secret data.
     */
    void checkStringMapsHoldStrings() {
        List<String> wrong = new ArrayList<>();
        for (Doc doc : docs) {
            stringMaps(doc.tree(), doc.where() + " ", doc.object() instanceof Service, wrong);
        }
        assertThat(wrong).as("values that must be quoted strings").isEmpty();
    }

    private static final Set<String> STRING_MAPS =
            Set.of("labels", "annotations", "matchLabels", "data", "stringData", "nodeSelector");

    private static void stringMaps(JsonNode node, String path, boolean service, List<String> wrong) {
        node.properties().forEach(entry -> {
            String at = path + "/" + entry.getKey();
            JsonNode value = entry.getValue();
            boolean stringMap = STRING_MAPS.contains(entry.getKey()) || service && at.endsWith(" /spec/selector");
            if (stringMap && value.isObject()) {
                value.properties().forEach(item -> {
                    if (!item.getValue().isTextual()) {
                        wrong.add(at + "/" + item.getKey() + ": " + item.getValue());
                    }
                });
            } else if (value.isObject()) {
                stringMaps(value, at, service, wrong);
            } else if (value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    stringMaps(value.get(i), at + "/" + i, service, wrong);
                }
            }
        });
    }

    /** kustomization.yaml lists every manifest but the Secret template, and only those. */
    void checkKustomizationListsEveryManifest() throws IOException {
        Set<String> listed = new TreeSet<>();
        kustomization.path("resources").forEach(resource -> listed.add(resource.asText()));
        Set<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Manifests::isYaml).map(path -> path.getFileName().toString())
                    .filter(name -> !name.equals(KUSTOMIZATION) && !name.equals(SECRET_TEMPLATE))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(listed).as(KUSTOMIZATION + " resources (rabbitmq/ and " + SECRET_TEMPLATE + " stay out)")
                .isEqualTo(files);
        assertThat(kustomization.path("kind").asText()).as(KUSTOMIZATION + " kind").isEqualTo("Kustomization");
    }

    /** The Secret template holds placeholders, never real credentials. */
    void checkSecretTemplateHoldsPlaceholders() {
        List<Secret> secrets = all(Secret.class);
        assertThat(secrets).as("Secrets in " + dir).isNotEmpty();
        for (Doc doc : docs) {
            if (doc.object() instanceof Secret secret) {
                assertThat(doc.file()).as(doc.where() + ": Secrets live in the template only").isEqualTo(SECRET_TEMPLATE);
                assertThat(secret.getData()).as(doc.where() + ": use stringData placeholders, not data").isNullOrEmpty();
                assertThat(secret.getStringData()).as(doc.where() + " stringData").isNotEmpty();
                secret.getStringData().forEach((key, value) -> assertThat(value)
                        .as(doc.where() + " stringData." + key + " must be the placeholder").isEqualTo(PLACEHOLDER));
            }
        }
    }

    /** The container serves on quarkus.http.port, and the probes ask Quarkus' health endpoints on that port. */
    void checkProbes() {
        Container container = container();
        int port = settings.httpPort();
        assertThat(container.getPorts()).as("container ports").extracting(ContainerPort::getContainerPort)
                .as("the container port is quarkus.http.port (%d)", port).containsExactly(port);
        assertThat(container.getPorts().get(0).getName()).as("the container port has a name").isNotBlank();
        probe(container.getStartupProbe(), "startupProbe", settings.healthPath("started"), port);
        probe(container.getLivenessProbe(), "livenessProbe", settings.healthPath("live"), port);
        probe(container.getReadinessProbe(), "readinessProbe", settings.healthPath("ready"), port);
    }

    private void probe(Probe probe, String what, String path, int port) {
        assertThat(probe).as(what).isNotNull();
        HTTPGetAction get = probe.getHttpGet();
        assertThat(get).as(what + ".httpGet").isNotNull();
        assertThat(get.getPath()).as(what + ".httpGet.path").isEqualTo(path);
        assertThat(resolvePort(get.getPort(), what)).as(what + ".httpGet.port").isEqualTo(port);
        assertThat(Objects.requireNonNullElse(get.getScheme(), "HTTP")).as(what + ".httpGet.scheme").isEqualTo("HTTP");
    }

    /** The Service sends its named port to the container port. */
    void checkServicePorts() {
        Service service = one(Service.class);
        List<ServicePort> ports = service.getSpec().getPorts();
        assertThat(ports).as("Service ports").hasSize(1);
        ServicePort port = ports.get(0);
        assertThat(port.getName()).as("Service port name").isNotBlank();
        assertThat(port.getPort()).as("Service port").isEqualTo(settings.httpPort());
        IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
        assertThat(resolvePort(target, "Service targetPort")).as("Service targetPort").isEqualTo(settings.httpPort());
    }

    /** Selectors select the pods, the HPA scales the Deployment, and the PDB lets at least one pod go. */
    void checkWiring() {
        Map<String, String> podLabels = template().getMetadata().getLabels();
        Deployment deployment = deployment();
        assertThat(podLabels).as("pod template labels ⊇ Deployment selector")
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getSelector().getMatchExpressions()).as("Deployment matchExpressions").isNullOrEmpty();
        assertThat(podLabels).as("pod template labels ⊇ Service selector")
                .containsAllEntriesOf(one(Service.class).getSpec().getSelector());
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class);
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).as("PodDisruptionBudget selector")
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        for (TopologySpreadConstraint spread : Objects.requireNonNullElse(template().getSpec().getTopologySpreadConstraints(),
                List.<TopologySpreadConstraint>of())) {
            assertThat(podLabels).as("pod template labels ⊇ topologySpreadConstraints selector")
                    .containsAllEntriesOf(spread.getLabelSelector().getMatchLabels());
        }
        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class);
        var target = hpa.getSpec().getScaleTargetRef();
        assertThat(List.of(target.getApiVersion(), target.getKind(), target.getName())).as("HPA scaleTargetRef")
                .containsExactly("apps/v1", "Deployment", deployment.getMetadata().getName());
        assertThat(deployment.getSpec().getReplicas()).as("Deployment replicas (owned by the HPA)").isNull();
        assertThat(hpa.getSpec().getMinReplicas()).as("HPA minReplicas: 2, so one pod going away leaves one serving")
                .isGreaterThanOrEqualTo(2).isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
        List<MetricSpec> metrics = hpa.getSpec().getMetrics();
        assertThat(metrics).as("HPA metrics: CPU utilization").anySatisfy(metric -> {
            assertThat(metric.getType()).isEqualTo("Resource");
            assertThat(metric.getResource().getName()).isEqualTo("cpu");
            assertThat(metric.getResource().getTarget().getType()).isEqualTo("Utilization");
            assertThat(metric.getResource().getTarget().getAverageUtilization()).isBetween(1, 100);
        });
        assertThat(container().getResources().getRequests()).as("a CPU utilization target needs a CPU request")
                .containsKey("cpu");
        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        if (minAvailable != null && minAvailable.getIntVal() != null) {
            assertThat(minAvailable.getIntVal()).as("PDB minAvailable must let a pod go at HPA minReplicas")
                    .isLessThan(hpa.getSpec().getMinReplicas());
        } else if (minAvailable == null) {
            assertThat(pdb.getSpec().getMaxUnavailable()).as("PDB maxUnavailable or minAvailable").isNotNull();
        }
    }

    /** Everything carries the same app.kubernetes.io labels, the name being the artifactId. */
    void checkLabels() {
        Map<String, String> expected = Map.of(
                "app.kubernetes.io/name", settings.artifactId,
                "app.kubernetes.io/instance", settings.artifactId,
                "app.kubernetes.io/part-of", settings.artifactId,
                "app.kubernetes.io/component", "dispatcher");
        for (Doc doc : docs) {
            assertThat(doc.object().getMetadata().getLabels()).as(doc.where() + " labels").containsAllEntriesOf(expected);
        }
        assertThat(template().getMetadata().getLabels()).as("pod template labels").containsAllEntriesOf(expected);
    }

    /** Prometheus scrapes Micrometer's endpoint on the container port. */
    void checkPrometheus() {
        Map<String, String> annotations = Objects.requireNonNullElse(template().getMetadata().getAnnotations(), Map.of());
        assertThat(annotations).as("pod template annotations")
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", settings.metricsPath())
                .containsEntry("prometheus.io/port", String.valueOf(settings.httpPort()));
    }

    /** The image is the artifactId tagged with the pom version, in the Deployment and in kustomize's images. */
    void checkImage() {
        String image = container().getImage();
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        assertThat(colon).as("image '%s' has a tag", image).isGreaterThan(slash);
        assertThat(image.substring(0, colon)).as("image name = artifactId").isEqualTo(settings.artifactId);
        assertThat(image.substring(colon + 1)).as("image tag = pom version").isEqualTo(settings.version);
        List<JsonNode> entries = new ArrayList<>();
        kustomization.path("images").forEach(entries::add);
        assertThat(entries).as(KUSTOMIZATION + " images: one entry for the container image").hasSize(1);
        JsonNode entry = entries.get(0);
        assertThat(entry.path("name").asText()).as("images[0].name").isEqualTo(settings.artifactId);
        String newName = entry.path("newName").asText(settings.artifactId);
        assertThat(newName.equals(settings.artifactId) || newName.endsWith("/" + settings.artifactId))
                .as("images[0].newName '%s' is the artifactId, in any registry", newName).isTrue();
        assertThat(entry.path("newTag").asText()).as("images[0].newTag = pom version").isEqualTo(settings.version);
    }

    /** The drain timeout the pod will run with: env (ConfigMap) over application.properties over @WithDefault. */
    Duration drainTimeout() {
        String property = "taskcenter.shutdown.drain-timeout";
        String value = settings.mappedDefault(property);
        value = settings.prodValue(property).orElse(value);
        for (Map.Entry<String, Optional<String>> env : environment().entrySet()) {
            if (Settings.envPattern(property).matcher(env.getKey()).matches()) {
                value = env.getValue().orElseThrow(() -> new AssertionError(
                        env.getKey() + " comes from a Secret: the drain timeout belongs in the ConfigMap"));
            }
        }
        return Settings.duration(value);
    }

    /** terminationGracePeriodSeconds outlasts the drain, so the kubelet does not kill a draining pod. */
    void checkGracePeriod() {
        Long grace = template().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).as("terminationGracePeriodSeconds").isNotNull();
        Duration drain = drainTimeout();
        assertThat(Duration.ofSeconds(grace)).as("terminationGracePeriodSeconds (%d s) must exceed the drain timeout"
                + " (%d s) by at least %d s", grace, drain.toSeconds(), SHUTDOWN_MARGIN.toSeconds())
                .isGreaterThanOrEqualTo(drain.plus(SHUTDOWN_MARGIN));
    }

    /** Every variable the container gets sets a real setting, and every reference resolves. */
    void checkEnvironment() {
        PodSpec pod = template().getSpec();
        assertThat(pod.getEnableServiceLinks()).as("enableServiceLinks must be false: Service links would add"
                + " <SERVICE>_PORT=tcp://... variables (RABBITMQ_PORT for a Service named rabbitmq)").isFalse();
        Container container = container();
        for (EnvFromSource from : Objects.requireNonNullElse(container.getEnvFrom(), List.<EnvFromSource>of())) {
            assertThat(from.getConfigMapRef() != null || from.getSecretRef() != null)
                    .as("envFrom uses a ConfigMap or a Secret").isTrue();
        }
        for (EnvVar variable : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
            if (variable.getValueFrom() == null) {
                continue;
            }
            SecretKeySelector secretRef = variable.getValueFrom().getSecretKeyRef();
            ConfigMapKeySelector mapRef = variable.getValueFrom().getConfigMapKeyRef();
            assertThat(secretRef != null || mapRef != null)
                    .as("env %s comes from a ConfigMap or Secret key", variable.getName()).isTrue();
            String kind = secretRef != null ? "Secret" : "ConfigMap";
            String name = secretRef != null ? secretRef.getName() : mapRef.getName();
            String key = secretRef != null ? secretRef.getKey() : mapRef.getKey();
            assertThat(keysOf(kind, name, "env " + variable.getName()))
                    .as("env %s: key '%s' of %s %s", variable.getName(), key, kind, name).containsKey(key);
        }
        List<String> strays = environment().keySet().stream()
                .filter(env -> settings.propertyOf(env).isEmpty())
                .toList();
        assertThat(strays).as("environment variables that set no setting (not in application.properties, not a"
                + " taskcenter.* property of TaskCenterConfig, not one of " + Settings.CONNECTOR_KEYS + ")").isEmpty();
    }

    /** Non-root, read-only root filesystem with a writable /tmp, no privilege escalation, no capabilities. */
    void checkHardening() {
        PodSpec pod = template().getSpec();
        Container container = container();
        var security = container.getSecurityContext();
        assertThat(security).as("container securityContext").isNotNull();
        boolean nonRoot = Boolean.TRUE.equals(security.getRunAsNonRoot())
                || pod.getSecurityContext() != null && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
        assertThat(nonRoot).as("runAsNonRoot").isTrue();
        assertThat(security.getReadOnlyRootFilesystem()).as("readOnlyRootFilesystem").isTrue();
        assertThat(security.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse();
        assertThat(security.getPrivileged()).as("privileged").isNotEqualTo(Boolean.TRUE);
        assertThat(security.getCapabilities()).as("capabilities").isNotNull();
        assertThat(security.getCapabilities().getDrop()).as("capabilities.drop").contains("ALL");
        assertThat(security.getCapabilities().getAdd()).as("capabilities.add").isNullOrEmpty();
        VolumeMount tmp = Objects.requireNonNullElse(container.getVolumeMounts(), List.<VolumeMount>of()).stream()
                .filter(mount -> mount.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow(() -> new AssertionError("no volume mounted at /tmp (Vert.x and the JVM write there)"));
        assertThat(tmp.getReadOnly()).as("/tmp mount readOnly").isNotEqualTo(Boolean.TRUE);
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume '" + tmp.getName() + "'"));
        assertThat(volume.getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    }

    /** Requests and limits for CPU and memory, requests within limits. */
    void checkResources() {
        var resources = container().getResources();
        assertThat(resources).as("resources").isNotNull();
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = resources.getRequests() == null ? null : resources.getRequests().get(resource);
            Quantity limit = resources.getLimits() == null ? null : resources.getLimits().get(resource);
            assertThat(request).as("requests." + resource).isNotNull();
            assertThat(limit).as("limits." + resource).isNotNull();
            assertThat(request.getNumericalAmount()).as("requests.%s <= limits.%s", resource, resource)
                    .isLessThanOrEqualTo(limit.getNumericalAmount());
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // kubectl kustomize

    /** {@code kubectl kustomize DIR}: the rendered documents, or an AssertionError with kubectl's message. */
    static List<JsonNode> kustomize(File kubectl, Path dir) throws IOException, InterruptedException {
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl.getPath(), "kustomize", dir.toString())
                    .redirectError(errors.toFile()).start();
            byte[] out;
            try (var stdout = process.getInputStream()) {
                out = stdout.readAllBytes();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize %s did not finish within 60 s", dir);
            }
            assertThat(process.exitValue()).as("kubectl kustomize %s exit code; stderr: %s", dir,
                    Files.readString(errors).strip()).isZero();
            return readYaml(new String(out, StandardCharsets.UTF_8), "kubectl kustomize " + dir);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** What kustomize renders is what the listed manifests hold, with the image from images:. */
    void checkRendered(List<JsonNode> rendered) {
        Function<JsonNode, String> id = node -> node.path("kind").asText() + "/" + node.path("metadata").path("name").asText();
        Set<String> expected = docs.stream().filter(doc -> !doc.file().equals(SECRET_TEMPLATE))
                .map(doc -> doc.object().getKind() + "/" + doc.object().getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> objects = rendered.stream().map(id).collect(Collectors.toCollection(TreeSet::new));
        assertThat(objects).as("rendered objects").isEqualTo(expected);
        JsonNode images = kustomization.path("images").path(0);
        String image = images.path("newName").asText(settings.artifactId) + ":" + images.path("newTag").asText();
        JsonNode deployment = rendered.stream().filter(node -> node.path("kind").asText().equals("Deployment"))
                .findFirst().orElseThrow();
        assertThat(deployment.at("/spec/template/spec/containers/0/image").asText()).as("rendered image")
                .isEqualTo(image);
    }

    /**
     * The RabbitmqCluster in rabbitmq/: only the fields this file uses are checked against the operator's v1beta1
     * API, since its schema is not on the classpath; and the ConfigMap's RABBITMQ_HOST is its Service.
     */
    void checkRabbitmqCluster(List<JsonNode> cluster) {
        assertThat(cluster).as("rabbitmq/ renders one object").hasSize(1);
        JsonNode rabbit = cluster.get(0);
        assertThat(rabbit.path("apiVersion").asText() + " " + rabbit.path("kind").asText()).as("rabbitmq/ kind")
                .isEqualTo("rabbitmq.com/v1beta1 RabbitmqCluster");
        Set<String> specFields = new TreeSet<>();
        rabbit.path("spec").properties().forEach(field -> specFields.add(field.getKey()));
        assertThat(specFields).as("RabbitmqCluster spec fields (rabbitmq.com/v1beta1)").isSubsetOf(
                "replicas", "image", "imagePullSecrets", "service", "persistence", "resources", "affinity",
                "tolerations", "rabbitmq", "tls", "override", "skipPostDeploySteps", "terminationGracePeriodSeconds",
                "delayStartSeconds", "secretBackend", "autoEnableAllFeatureFlags");
        int replicas = rabbit.at("/spec/replicas").asInt();
        assertThat(replicas).as("RabbitmqCluster replicas: odd, at least 3 (quorum queues)").isGreaterThanOrEqualTo(3)
                .matches(n -> n % 2 == 1, "odd");
        assertThat(rabbit.at("/spec/persistence/storage").asText()).as("RabbitmqCluster persistence.storage").isNotBlank();
        assertThat(rabbit.at("/spec/image").asText())
                .as("RabbitmqCluster image: pinned to a 4.x release, the line the tests run against beside 3.10")
                .matches("rabbitmq:4\\.\\d+\\.\\d+(-management)?");
        for (String field : List.of("/spec/resources/requests/cpu", "/spec/resources/requests/memory",
                "/spec/resources/limits/cpu", "/spec/resources/limits/memory")) {
            assertThat(rabbit.at(field).asText()).as("RabbitmqCluster " + field).isNotBlank();
        }
        String name = rabbit.at("/metadata/name").asText();
        Optional<String> host = environment().entrySet().stream()
                .filter(env -> Settings.envPattern("rabbitmq-host").matcher(env.getKey()).matches())
                .map(Map.Entry::getValue).flatMap(Optional::stream).findFirst();
        assertThat(host).as("RABBITMQ_HOST in the ConfigMap is the RabbitmqCluster's Service").contains(name);
    }
}
