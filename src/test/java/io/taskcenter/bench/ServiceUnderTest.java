package io.taskcenter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The packaged service jar in a process of its own, with the bench's queue names and worker ids. */
final class ServiceUnderTest implements AutoCloseable {

    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    final int port;
    final List<String> command;
    private final Process process;
    private final Deque<String> lastLines = new ConcurrentLinkedDeque<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceUnderTest(Process process, int port, List<String> command) {
        this.process = process;
        this.port = port;
        this.command = command;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 200) {
                        lastLines.pollFirst();
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }, "service-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Copies {@code target/quarkus-app} to {@code dir}/quarkus-app and returns the copy's jar, so a build running
     * alongside (the working tree is shared) cannot rewrite the jars under a running service.
     */
    static Path snapshot(Path dir) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: build it first (./mvnw package)");
        }
        Path from = JAR.getParent();
        Path to = dir.resolve("quarkus-app");
        if (Files.exists(to)) {
            try (var old = Files.walk(to)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        try (var files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to.resolve("quarkus-run.jar");
    }

    static ServiceUnderTest start(Path jar, List<String> jvmArgs, Map<String, String> settings) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        ServiceUnderTest service = new ServiceUnderTest(
                new ProcessBuilder(command).redirectErrorStream(true).start(), port, command);
        try {
            Awaitility.await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(90))
                    .until(() -> !service.process.isAlive() || service.status("/q/health/ready") == 200);
        } catch (ConditionTimeoutException e) {
            // Reported below with the service's output.
        }
        if (!service.process.isAlive() || service.status("/q/health/ready") != 200) {
            service.close();
            throw new IllegalStateException("service did not become ready:\n" + service.lastOutput());
        }
        return service;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String lastOutput() {
        return String.join("\n", lastLines);
    }

    int status(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    String get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    /** A number from {@code GET /api/stats}, e.g. {@code acked} or {@code workersOnline}. */
    long stat(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(get("/api/stats"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** VmRSS in bytes, from /proc/<pid>/status. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** utime + stime of the service process, in clock ticks (USER_HZ, 100 on Linux). */
    long cpuTicks() throws IOException {
        return ticksOf(Files.readString(Path.of("/proc", String.valueOf(pid()), "stat")));
    }

    /** utime + stime from a {@code /proc} stat line, of a process or of one of its threads. */
    private static long ticksOf(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime field 14, stime field 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** CPU ticks by thread kind ({@link #threadTicks(long)}). */
    Map<String, Long> threadTicks() throws IOException {
        return threadTicks(pid());
    }

    /** Runs {@code jcmd <pid> <args>} and returns its output. */
    String jcmd(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(String.valueOf(pid()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return "jcmd failed: " + e;
        }
    }

    /** SIGTERM, then SIGKILL if it does not stop within 40 s. */
    @Override
    public void close() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * CPU ticks by thread kind, from {@code /proc/<pid>/task/<tid>/stat}: the thread's name (at most 15 characters
     * there) with its digits made {@code N}, so "vert.x-eventloo", "C2 CompilerThre", "executor-thread" and the
     * like are summed. Without a profiler attached, it shows where the service's CPU goes (a thread that ended
     * between two readings is missing from the second).
     */
    static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> ticks = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "N");
                    ticks.merge(name, ticksOf(stat), Long::sum);
                } catch (IOException ended) {
                    // the thread ended while we listed them
                }
            }
        }
        return ticks;
    }
}
