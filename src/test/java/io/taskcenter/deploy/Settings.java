package io.taskcenter.deploy;

import java.io.Reader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.smallrye.config.WithParentName;
import io.taskcenter.config.TaskCenterConfig;

/**
 * What the code says a deployment must match: the Maven coordinates, the settings the service reads (from
 * {@code application.properties} and the {@link TaskCenterConfig} mapping), and the Quarkus defaults the
 * manifests rely on.
 */
final class Settings {

    /**
     * Settings read by libraries rather than declared by us: the RabbitMQ connector's standard connection keys
     * (aliases of every channel's host, port, ...) and smallrye-jwt's token verification keys.
     */
    static final Collection<String> CONNECTOR_KEYS = List.of(
            "rabbitmq-host", "rabbitmq-port", "rabbitmq-username", "rabbitmq-password",
            "mp.jwt.verify.publickey.location", "mp.jwt.verify.issuer");

    /** Stands for a map key in a property name derived from a {@code Map} in a config mapping. */
    static final String ANY_KEY = "*";

    final String artifactId;
    final String version;
    /** application.properties, profile prefixes ({@code %test.}) kept as they are. */
    final Map<String, String> properties;
    /** Every property of {@link TaskCenterConfig}, map keys as {@link #ANY_KEY}, with its getter. */
    final Map<String, Method> mapped;

    private Settings(String artifactId, String version, Map<String, String> properties, Map<String, Method> mapped) {
        this.artifactId = artifactId;
        this.version = version;
        this.properties = properties;
        this.mapped = mapped;
    }

    static Settings load(Path project) throws Exception {
        Element pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(project.resolve("pom.xml").toFile()).getDocumentElement();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(project.resolve("src/main/resources/application.properties"))) {
            properties.load(reader);
        }
        Map<String, String> sorted = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> sorted.put(key, properties.getProperty(key)));
        Map<String, Method> mapped = new TreeMap<>();
        collect(TaskCenterConfig.class, TaskCenterConfig.class.getAnnotation(ConfigMapping.class).prefix(), mapped);
        return new Settings(child(pom, "artifactId"), child(pom, "version"), sorted, mapped);
    }

    /** The text of a direct child of the pom's root (so not the parent's artifactId or version). */
    private static String child(Element root, String name) {
        for (Node node = root.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no <" + name + ">");
    }

    /** Walks a config mapping interface the way SmallRye Config names its properties. */
    private static void collect(Class<?> group, String prefix, Map<String, Method> out) {
        for (Method method : group.getMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String path = method.isAnnotationPresent(WithParentName.class) ? prefix
                    : prefix + "." + (method.isAnnotationPresent(WithName.class)
                            ? method.getAnnotation(WithName.class).value()
                            : kebab(method.getName()));
            Type type = method.getGenericReturnType();
            Class<?> raw = raw(type);
            if (Map.class.isAssignableFrom(raw)) {
                Type value = argument(type, 1);
                if (isGroup(raw(value))) {
                    collect(raw(value), path + "." + ANY_KEY, out);
                } else {
                    out.put(path + "." + ANY_KEY, method);
                }
            } else if (Optional.class.equals(raw) && isGroup(raw(argument(type, 0)))) {
                collect(raw(argument(type, 0)), path, out);
            } else if (isGroup(raw)) {
                collect(raw, path, out);
            } else {
                out.put(path, method);
            }
        }
    }

    private static boolean isGroup(Class<?> type) {
        return type.isInterface() && !type.getName().startsWith("java.");
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    }

    private static Type argument(Type type, int index) {
        return ((ParameterizedType) type).getActualTypeArguments()[index];
    }

    /** SmallRye Config's default naming: {@code drainTimeout} becomes {@code drain-timeout}. */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** A property name without its profile prefix ({@code %test.a.b} is {@code a.b}). */
    private static String unprofiled(String key) {
        return key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key;
    }

    /**
     * The settings an environment variable can set, by the MicroProfile Config rules: a property {@code P} is read
     * from the variable named {@code P}, or {@code P} with every non-alphanumeric character replaced by {@code _},
     * or that in upper case. Returns the property (or pattern) the variable maps to, if any.
     */
    Optional<String> propertyOf(String env) {
        Map<String, String> candidates = new LinkedHashMap<>();
        properties.keySet().forEach(key -> candidates.put(unprofiled(key), unprofiled(key)));
        mapped.keySet().forEach(key -> candidates.put(key, key));
        CONNECTOR_KEYS.forEach(key -> candidates.put(key, key));
        return candidates.keySet().stream().filter(property -> envPattern(property).matcher(env).matches()).findFirst();
    }

    /** The variable names that set {@code property}; a map key ({@link #ANY_KEY}) matches any non-empty name part. */
    static Pattern envPattern(String property) {
        String[] parts = property.split(Pattern.quote(ANY_KEY), -1);
        UnaryOperator<String> sanitize = part -> part.replaceAll("[^A-Za-z0-9]", "_");
        return Pattern.compile(String.join("|",
                join(parts, UnaryOperator.identity(), "[^.]+"),
                join(parts, sanitize, "[A-Za-z0-9_]+"),
                join(parts, part -> sanitize.apply(part).toUpperCase(Locale.ROOT), "[A-Z0-9_]+")));
    }

    private static String join(String[] parts, UnaryOperator<String> form, String key) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? key : "").append(Pattern.quote(form.apply(parts[i])));
        }
        return "(?:" + regex + ")";
    }

    /** A property's value in the prod profile: {@code %prod.key}, else {@code key}. */
    Optional<String> prodValue(String key) {
        return Optional.ofNullable(properties.getOrDefault("%prod." + key, properties.get(key)));
    }

    /** The {@code @WithDefault} of a {@link TaskCenterConfig} property. */
    String mappedDefault(String property) {
        Method method = mapped.get(property);
        if (method == null || !method.isAnnotationPresent(WithDefault.class)) {
            throw new AssertionError(property + " is not a TaskCenterConfig property with a @WithDefault");
        }
        return method.getAnnotation(WithDefault.class).value();
    }

    int httpPort() {
        return Integer.parseInt(prodValue("quarkus.http.port").orElse("8080"));
    }

    /** Quarkus' health endpoint paths, as configured (or defaulted) in application.properties. */
    String healthPath(String kind) {
        String health = path(nonApplicationRoot(), prodValue("quarkus.smallrye-health.root-path").orElse("health"));
        String leaf = switch (kind) {
            case "live" -> prodValue("quarkus.smallrye-health.liveness-path").orElse("live");
            case "ready" -> prodValue("quarkus.smallrye-health.readiness-path").orElse("ready");
            case "started" -> prodValue("quarkus.smallrye-health.startup-path").orElse("started");
            default -> throw new IllegalArgumentException(kind);
        };
        return path(health, leaf);
    }

    /** Micrometer's Prometheus endpoint path. */
    String metricsPath() {
        return path(nonApplicationRoot(), prodValue("quarkus.micrometer.export.prometheus.path").orElse("metrics"));
    }

    private String nonApplicationRoot() {
        return path(prodValue("quarkus.http.root-path").orElse("/"),
                prodValue("quarkus.http.non-application-root-path").orElse("q"));
    }

    /** Quarkus' rule: a path starting with "/" is absolute, any other is relative to its parent. */
    private static String path(String parent, String child) {
        if (child.startsWith("/")) {
            return child;
        }
        return (parent.endsWith("/") ? parent : parent + "/") + child;
    }

    /** Quarkus' duration format: {@code 20} (seconds), {@code 500ms}, {@code 20s}, {@code 5m}, {@code 1h}, {@code 2d}, ISO-8601. */
    static Duration duration(String value) {
        String text = value.trim();
        if (text.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        if (text.matches("\\d+ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.matches("\\d+(\\.\\d+)?[smh]")) {
            return Duration.parse("PT" + text.toUpperCase(Locale.ROOT));
        }
        if (text.matches("\\d+d")) {
            return Duration.parse("P" + text.toUpperCase(Locale.ROOT));
        }
        return Duration.parse(text);
    }
}
