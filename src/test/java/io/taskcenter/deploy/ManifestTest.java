package io.taskcenter.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails when the Kubernetes manifests in {@code kubernetes/} drift from the code: unknown fields, probe paths and
 * ports, the image name, the shutdown timing, and environment variables that set no setting. A plain JUnit test:
 * it reads files and never starts Quarkus.
 * <p>
 * {@link #eachCheckCatchesItsDrift} proves every check can fail: it copies the manifests, breaks one thing, and
 * expects that check to go red.
 */
class ManifestTest {

    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path KUBERNETES = PROJECT.resolve("kubernetes");

    static Settings settings;

    @BeforeAll
    static void loadSettings() throws Exception {
        assertThat(PROJECT.resolve("pom.xml")).as("run from the project directory").exists();
        settings = Settings.load(PROJECT);
    }

    /** A check against a kubernetes/ directory. */
    @FunctionalInterface
    interface Check {
        void run(Path dir) throws Exception;
    }

    static Manifests manifests(Path dir) throws IOException {
        return Manifests.load(dir, settings);
    }

    static final Check PARSES_STRICTLY = dir -> {
        Manifests manifests = manifests(dir);
        manifests.checkNoUnknownFields();
        manifests.checkStringMapsHoldStrings();
    };
    static final Check KUSTOMIZATION_LISTS_EVERY_MANIFEST = dir -> manifests(dir).checkKustomizationListsEveryManifest();
    static final Check SECRET_TEMPLATE = dir -> manifests(dir).checkSecretTemplateHoldsPlaceholders();
    static final Check PROBES = dir -> manifests(dir).checkProbes();
    static final Check SERVICE_PORTS = dir -> manifests(dir).checkServicePorts();
    static final Check WIRING = dir -> manifests(dir).checkWiring();
    static final Check LABELS = dir -> manifests(dir).checkLabels();
    static final Check PROMETHEUS = dir -> manifests(dir).checkPrometheus();
    static final Check IMAGE = dir -> manifests(dir).checkImage();
    static final Check GRACE_PERIOD = dir -> manifests(dir).checkGracePeriod();
    static final Check ENVIRONMENT = dir -> manifests(dir).checkEnvironment();
    static final Check HARDENING = dir -> manifests(dir).checkHardening();
    static final Check RESOURCES = dir -> manifests(dir).checkResources();
    static final Check RABBITMQ = dir -> manifests(dir).checkRabbitmqCluster(
            Manifests.readYaml(Files.readString(dir.resolve("rabbitmq/rabbitmqcluster.yaml")), "rabbitmqcluster.yaml"));
    static final Check KUSTOMIZE_RENDERS = dir -> {
        File kubectl = kubectl().orElseThrow();
        manifests(dir).checkRendered(Manifests.kustomize(kubectl, dir));
        Manifests.kustomize(kubectl, dir.resolve("rabbitmq"));
    };

    @Test
    void everyDocumentParsesIntoTheKubernetesModelWithoutUnknownFields() throws Exception {
        Manifests manifests = manifests(KUBERNETES);
        assertThat(manifests.docs).extracting(doc -> doc.object().getKind()).containsExactlyInAnyOrder(
                "ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret", "Service");
        PARSES_STRICTLY.run(KUBERNETES);
    }

    @Test
    void kustomizationListsEveryManifestButTheSecretTemplate() throws Exception {
        KUSTOMIZATION_LISTS_EVERY_MANIFEST.run(KUBERNETES);
    }

    @Test
    void secretTemplateHoldsPlaceholdersOnly() throws Exception {
        SECRET_TEMPLATE.run(KUBERNETES);
    }

    @Test
    void probesAskTheQuarkusHealthEndpointsOnTheHttpPort() throws Exception {
        assertThat(settings.healthPath("live")).isEqualTo("/q/health/live");
        assertThat(settings.httpPort()).isEqualTo(8080);
        PROBES.run(KUBERNETES);
    }

    @Test
    void serviceSendsItsNamedPortToTheContainerPort() throws Exception {
        SERVICE_PORTS.run(KUBERNETES);
    }

    @Test
    void selectorsAutoscalerAndDisruptionBudgetPointAtTheDeployment() throws Exception {
        WIRING.run(KUBERNETES);
    }

    @Test
    void everythingIsLabelledConsistently() throws Exception {
        LABELS.run(KUBERNETES);
    }

    @Test
    void prometheusScrapesTheMetricsEndpoint() throws Exception {
        PROMETHEUS.run(KUBERNETES);
    }

    @Test
    void imageIsTheArtifactIdTaggedWithThePomVersion() throws Exception {
        assertThat(settings.artifactId).isEqualTo("task-center");
        IMAGE.run(KUBERNETES);
    }

    @Test
    void terminationGracePeriodOutlastsTheDrain() throws Exception {
        assertThat(settings.mappedDefault("taskcenter.shutdown.drain-timeout")).isEqualTo("20s");
        GRACE_PERIOD.run(KUBERNETES);
    }

    @Test
    void everyEnvironmentVariableSetsARealSetting() throws Exception {
        assertThat(manifests(KUBERNETES).environment()).containsKeys(
                "RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_USERNAME", "RABBITMQ_PASSWORD");
        ENVIRONMENT.run(KUBERNETES);
    }

    @Test
    void podIsHardened() throws Exception {
        HARDENING.run(KUBERNETES);
    }

    @Test
    void containerHasRequestsAndLimits() throws Exception {
        RESOURCES.run(KUBERNETES);
    }

    @Test
    void rabbitmqClusterIsTheBrokerTheConfigMapNames() throws Exception {
        RABBITMQ.run(KUBERNETES);
    }

    @Test
    void kustomizeRendersBothDirectories() throws Exception {
        assumeTrue(kubectl().isPresent(), "kubectl is not on the PATH");
        KUSTOMIZE_RENDERS.run(KUBERNETES);
    }

    /** The environment-name rules the environment check relies on, on names the service really reads. */
    @Test
    void environmentNamesMapToSettingsByTheMicroProfileRules() {
        assertThat(settings.mapped).containsKeys("taskcenter.shutdown.drain-timeout", "taskcenter.hello-timeout",
                "taskcenter.workers.*.task-types");
        assertThat(settings.propertyOf("TASKCENTER_SHUTDOWN_DRAIN_TIMEOUT")).contains("taskcenter.shutdown.drain-timeout");
        assertThat(settings.propertyOf("TASKCENTER_WORKERS__7__TASK_TYPES")).isPresent();
        assertThat(settings.propertyOf("MP_MESSAGING_INCOMING_TASKS_MAX_OUTSTANDING_MESSAGES"))
                .contains("mp.messaging.incoming.tasks.max-outstanding-messages");
        assertThat(settings.propertyOf("RABBITMQ_PASSWORD")).contains("rabbitmq-password");
        assertThat(settings.propertyOf("TASKCENTER_SHUTDOWN_DRAIN")).isEmpty();
        assertThat(settings.propertyOf("QUARKUS_HTTP_PORT")).isEmpty();
        assertThat(Settings.duration("20s")).hasSeconds(20);
        assertThat(Settings.duration("1500ms")).hasMillis(1500);
        assertThat(Settings.duration("2m")).hasSeconds(120);
        assertThat(Settings.duration("30")).hasSeconds(30);
        assertThat(Settings.duration("PT1M")).hasSeconds(60);
    }

    // ----------------------------------------------------------------------------------------------------------------

    /** One way the manifests can drift, and the check that must catch it. */
    record Drift(String file, String from, String to, Check check, String expected) {
        @Override
        public String toString() {
            return file + ": '" + from.strip() + "' -> '" + to.strip() + "'";
        }
    }

    static Stream<Arguments> drifts() {
        return Stream.of(
                new Drift("deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesytem: true",
                        PARSES_STRICTLY, "readOnlyRootFilesytem"),
                new Drift("service.yaml", "appProtocol: http", "appProtocl: http", PARSES_STRICTLY, "appProtocl"),
                new Drift("deployment.yaml", "terminationGracePeriodSeconds: 35", "terminationGracePeriodSeconds: 35s",
                        PARSES_STRICTLY, "terminationGracePeriodSeconds"),
                new Drift("configmap.yaml", "RABBITMQ_PORT: \"5672\"", "RABBITMQ_PORT: 5672", PARSES_STRICTLY,
                        "RABBITMQ_PORT"),
                new Drift("kustomization.yaml", "  - service.yaml\n", "", KUSTOMIZATION_LISTS_EVERY_MANIFEST,
                        "service.yaml"),
                new Drift("secret-template.yaml", "password: CHANGE_ME", "password: s3cr3t", SECRET_TEMPLATE, "password"),
                new Drift("deployment.yaml", "path: /q/health/ready", "path: /q/health/readiness", PROBES,
                        "readinessProbe.httpGet.path"),
                new Drift("deployment.yaml", "path: /q/health/live", "path: /health/live", PROBES,
                        "livenessProbe.httpGet.path"),
                new Drift("deployment.yaml", "containerPort: 8080", "containerPort: 8081", PROBES, "quarkus.http.port"),
                new Drift("deployment.yaml", "port: http\n            periodSeconds: 2",
                        "port: 9000\n            periodSeconds: 2", PROBES, "startupProbe.httpGet.port"),
                new Drift("service.yaml", "targetPort: http", "targetPort: 9090", SERVICE_PORTS, "targetPort"),
                new Drift("service.yaml", "port: 8080", "port: 80", SERVICE_PORTS, "Service port"),
                new Drift("horizontalpodautoscaler.yaml", "    name: task-center\n  minReplicas",
                        "    name: task-centre\n  minReplicas", WIRING, "scaleTargetRef"),
                new Drift("poddisruptionbudget.yaml", "      app.kubernetes.io/instance: task-center\n  #",
                        "      app.kubernetes.io/instance: other\n  #", WIRING, "PodDisruptionBudget selector"),
                new Drift("service.yaml", "    app.kubernetes.io/instance: task-center\n  ports",
                        "    app.kubernetes.io/instance: other\n  ports", WIRING, "Service selector"),
                new Drift("poddisruptionbudget.yaml", "app.kubernetes.io/part-of: task-center",
                        "app.kubernetes.io/part-of: taskcenter", LABELS, "PodDisruptionBudget"),
                new Drift("deployment.yaml", "prometheus.io/path: /q/metrics", "prometheus.io/path: /metrics",
                        PROMETHEUS, "prometheus.io/path"),
                new Drift("deployment.yaml", "image: task-center:1.0.0-SNAPSHOT", "image: taskcenter:1.0.0-SNAPSHOT",
                        IMAGE, "artifactId"),
                new Drift("kustomization.yaml", "newTag: 1.0.0-SNAPSHOT", "newTag: 0.9.0", IMAGE, "pom version"),
                new Drift("kustomization.yaml", "newName: task-center", "newName: registry.example.com/tasks", IMAGE,
                        "newName"),
                new Drift("deployment.yaml", "terminationGracePeriodSeconds: 35", "terminationGracePeriodSeconds: 20",
                        GRACE_PERIOD, "drain timeout"),
                new Drift("configmap.yaml", "TASKCENTER_SHUTDOWN_DRAIN_TIMEOUT: 20s",
                        "TASKCENTER_SHUTDOWN_DRAIN_TIMEOUT: 1m", GRACE_PERIOD, "drain timeout"),
                new Drift("configmap.yaml", "TASKCENTER_SHUTDOWN_DRAIN_TIMEOUT:", "TASKCENTER_SHUTDOWN_DRAIN_TIMOUT:",
                        ENVIRONMENT, "TASKCENTER_SHUTDOWN_DRAIN_TIMOUT"),
                new Drift("configmap.yaml", "RABBITMQ_PORT:", "QUARKUS_HTTP_PORT:", ENVIRONMENT, "QUARKUS_HTTP_PORT"),
                new Drift("deployment.yaml", "name: RABBITMQ_USERNAME", "name: RABBITMQ_USER", ENVIRONMENT,
                        "RABBITMQ_USER"),
                new Drift("deployment.yaml", "key: password", "key: passwd", ENVIRONMENT, "passwd"),
                new Drift("deployment.yaml", "name: task-center\n          env:", "name: task-center-settings\n          env:",
                        ENVIRONMENT, "task-center-settings"),
                new Drift("deployment.yaml", "enableServiceLinks: false", "enableServiceLinks: true", ENVIRONMENT,
                        "enableServiceLinks"),
                new Drift("deployment.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true",
                        HARDENING, "allowPrivilegeEscalation"),
                new Drift("deployment.yaml", "mountPath: /tmp", "mountPath: /var/tmp", HARDENING, "/tmp"),
                new Drift("deployment.yaml", "              memory: 256Mi", "              memory: 1Gi", RESOURCES,
                        "requests.memory <= limits.memory"),
                new Drift("configmap.yaml", "RABBITMQ_HOST: task-center-rabbitmq", "RABBITMQ_HOST: rabbitmq",
                        RABBITMQ, "RABBITMQ_HOST"),
                new Drift("rabbitmq/rabbitmqcluster.yaml", "replicas: 3", "replicas: 2", RABBITMQ, "replicas"),
                new Drift("kustomization.yaml", "  - service.yaml\n", "  - services.yaml\n", KUSTOMIZE_RENDERS,
                        "kubectl kustomize"))
                .map(drift -> Arguments.of(drift));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("drifts")
    void eachCheckCatchesItsDrift(Drift drift, @TempDir Path copy) throws Exception {
        if (drift.check() == KUSTOMIZE_RENDERS) {
            assumeTrue(kubectl().isPresent(), "kubectl is not on the PATH");
        }
        copyTree(KUBERNETES, copy);
        drift.check().run(copy); // green before the change
        Path file = copy.resolve(drift.file());
        String text = Files.readString(file);
        assertThat(text).as("%s contains the text to break", drift.file()).contains(drift.from());
        Files.writeString(file, text.replaceFirst(Pattern.quote(drift.from()), Matcher.quoteReplacement(drift.to())));
        assertThatThrownBy(() -> drift.check().run(copy)).isInstanceOf(AssertionError.class)
                .hasMessageContaining(drift.expected());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
    }

    static Optional<File> kubectl() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> new File(dir, "kubectl"))
                .filter(File::canExecute)
                .findFirst();
    }
}
