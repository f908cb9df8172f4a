package io.taskcenter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.taskcenter.support.ServiceProcess;

/**
 * The service the bench loads: the tests' {@link ServiceProcess}, started from a copy of the packaged jar, with
 * what the bench reads off it (its stats, RSS, CPU by thread, {@code jcmd}).
 */
final class ServiceUnderTest implements AutoCloseable {

    private final ServiceProcess process;

    private ServiceUnderTest(ServiceProcess process) {
        this.process = process;
    }

    /**
     * Copies {@code target/quarkus-app} to {@code dir}/quarkus-app and returns the copy's jar, so a build running
     * alongside (the working tree is shared) cannot rewrite the jars under a running service.
     */
    static Path snapshot(Path dir) throws IOException {
        if (!Files.exists(ServiceProcess.JAR)) {
            throw new IllegalStateException(ServiceProcess.JAR + " is missing: build it first (./mvnw package)");
        }
        Path from = ServiceProcess.JAR.getParent();
        Path to = dir.resolve("quarkus-app");
        if (Files.exists(to)) {
            try (var old = Files.walk(to)) {
                old.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
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

    /** Starts {@code jar} on loopback and waits until it is ready; fails with its output if it is not. */
    static ServiceUnderTest start(Path jar, List<String> jvmArgs, Map<String, String> settings)
            throws InterruptedException {
        Map<String, String> onLoopback = new HashMap<>(settings);
        onLoopback.put("quarkus.http.host", "127.0.0.1");
        ServiceProcess process = ServiceProcess.launch(jar, jvmArgs, onLoopback);
        try {
            process.awaitReady(Duration.ofSeconds(90));
        } catch (AssertionError notReady) {
            process.close();
            throw new IllegalStateException(notReady.getMessage(), notReady);
        }
        return new ServiceUnderTest(process);
    }

    int port() {
        return process.port();
    }

    long pid() {
        return process.pid();
    }

    List<String> command() {
        return process.command();
    }

    boolean alive() {
        return process.isAlive();
    }

    String lastOutput() {
        return process.tail();
    }

    int status(String path) {
        return process.status(path);
    }

    /** A number from {@code GET /api/stats}, e.g. {@code acked} or {@code workersOnline}. */
    long stat(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(process.get("/api/stats"));
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
        return ThreadUse.process(pid()).ticks();
    }

    /** What each of its threads used so far. */
    Map<Long, ThreadUse.Thread> threads() throws IOException {
        return ThreadUse.read(pid());
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
        process.stop(Duration.ofSeconds(40));
    }
}
