package io.taskcenter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.taskcenter.support.Broker;
import io.taskcenter.support.ServiceProcess;
import io.taskcenter.support.Sockets;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;

/**
 * The benchmark harness: starts the packaged service jar against the local RabbitMQ, drives it with simulated
 * workers and a confirming producer from this process, and measures the same load against plain AMQP consumers
 * (the broker's own ceiling) in the same run. Run it with {@code ./mvnw -Pbench verify}; see README
 * "Performance". Nothing here asserts on timings.
 */
public final class Bench {

    /** Sizes; {@code -Dbench.quick=true} shrinks them for a few-minute run, {@code bench.smoke} to seconds. */
    static final class Sizes {
        /** The settings {@link #of} reads the fields from (field initializers take no parameter). */
        private static final ThreadLocal<java.util.Properties> SOURCE = new ThreadLocal<>();
        final java.util.Properties p = SOURCE.get();
        final String prefix = setting("bench.prefix", "bench");
        final boolean quick = bool("bench.quick");
        final boolean smoke = bool("bench.smoke");
        final int tasks = integer("bench.tasks", smoke ? 300 : quick ? 20_000 : 200_000);
        final int[] workerCounts = ints("bench.workers", smoke ? "2" : "4,16");
        final int prefetch = integer("bench.prefetch", 256);
        final int v1Capacity = integer("bench.v1.capacity", 64);
        final int[] rates = ints("bench.rates", smoke ? "200" : "1000,5000");
        final int latencySeconds = integer("bench.latency.seconds", smoke ? 2 : quick ? 10 : 30);
        final int latencyWorkers = integer("bench.latency.workers", smoke ? 2 : 4);
        final int scaleWorkers = integer("bench.scale.workers", smoke ? 50 : quick ? 2_000 : 10_000);
        final int probeTasks = integer("bench.scale.probe.tasks", smoke ? 10 : quick ? 100 : 300);
        final int churnTasks = integer("bench.churn.tasks", smoke ? 300 : quick ? 10_000 : 50_000);
        final int churnPerSecond = integer("bench.churn.rate", 200);
        final int churnLifetimeMs = integer("bench.churn.lifetime.ms", 250);
        final int repeat = integer("bench.repeat", 1);
        final boolean jfr = bool("bench.jfr");
        final Path out = Path.of(setting("bench.out", "target/bench"));
        /** Which scenarios to run: a comma-separated subset of throughput,latency,churn,replicas,scale. */
        final List<String> scenarios = List.of(setting("bench.scenarios", "throughput,latency,churn,replicas,scale")
                .split(","));
        final String rabbitHost = setting("bench.rabbit.host", "127.0.0.1");
        final int rabbitPort = integer("bench.rabbit.port", 5672);
        final String rabbitUser = setting("bench.rabbit.user", "guest");
        final String rabbitPassword = setting("bench.rabbit.password", "guest");
        /** The connector-only baseline application, built from {@code bench/connector-baseline}. */
        final Path connectorApp = Path.of(setting("bench.connector.app",
                "bench/connector-baseline/target/quarkus-app/quarkus-run.jar"));
        /** The connector baseline with the broker's auto-ack, to show what the connector's ack path costs. */
        final boolean connectorAutoAck = bool("bench.connector.autoAck");
        final List<String> serviceJvm = List.of(setting("bench.service.jvm",
                "-Xms64m -Xmx1g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20").trim().split("\\s+"));

        /**
         * {@code given} with the settings in its {@code bench.extra} laid over it: the poms forward the few settings
         * they name one by one and any other in that one argument, as {@code -Dbench.tasks=1000 -Dbench.workers=4}.
         * A word that does not start a {@code -Dbench.} setting belongs to the value before it, so that
         * {@code -Dbench.service.jvm=-Xmx512m -XX:+UseSerialGC} keeps its two flags.
         */
        static java.util.Properties withExtra(java.util.Properties given) {
            java.util.Properties all = new java.util.Properties();
            all.putAll(given);
            String extra = given.getProperty("bench.extra", "").trim();
            String key = null;
            for (String word : extra.isEmpty() ? new String[0] : extra.split("\\s+")) {
                int eq = word.indexOf('=');
                if (word.startsWith("-Dbench.") && eq > 0) {
                    key = word.substring(2, eq);
                    all.setProperty(key, word.substring(eq + 1));
                } else if (key != null) {
                    all.setProperty(key, all.getProperty(key) + " " + word);
                } else {
                    throw new IllegalArgumentException("bench.extra takes -Dbench.<setting>=<value> settings separated"
                            + " by spaces; it starts with \"" + word + "\"");
                }
            }
            return all;
        }

        /** Sizes from {@code properties}: the system properties with {@link #withExtra}, or a test's own. */
        static Sizes of(java.util.Properties properties) {
            SOURCE.set(properties);
            try {
                return new Sizes();
            } finally {
                SOURCE.remove();
            }
        }

        /** The service's exchange and queue; the dead-letter ones are named after it, as the tests' are. */
        String queue() { return prefix + ".tasks"; }
        String baselineExchange() { return prefix + ".baseline"; }
        String baselineQueue() { return prefix + ".baseline"; }
        /** The connector-only baseline's queue and exchange (it declares them itself, like the service). */
        String connectorQueue() { return prefix + ".connector"; }

        /**
         * The setting {@code key}, or {@code def} when it is not set or blank: the poms pass every setting they
         * forward, empty unless given, so that the defaults live here only.
         */
        private String setting(String key, String def) {
            String v = p.getProperty(key);
            return v == null || v.isBlank() ? def : v.trim();
        }

        private boolean bool(String key) {
            return Boolean.parseBoolean(setting(key, "false"));
        }

        private int integer(String key, int def) {
            return Integer.parseInt(setting(key, String.valueOf(def)));
        }

        private int[] ints(String key, String def) {
            return Arrays.stream(setting(key, def).split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        }
    }

    /** A warm-up round after which the JIT compilers took less CPU than this per 1,000 tasks ends the warm-up. */
    static final double QUIET_COMPILER_MS_PER_1000 = 1.0;
    static final int MAX_WARM_UP_ROUNDS = 6;
    /**
     * Churn's rounds are short (10,000 tasks: 2 to 5 s, some 1,000 connects) and its connect path keeps the compiler
     * busy longer: six rounds still left it 53 ms per 1,000 tasks (2026-12-03). So more of them, at most 1 to 2 min.
     */
    static final int MAX_CHURN_WARM_UP_ROUNDS = 20;
    /** The service's one JFR recording in a {@code -Dbench.jfr=true} bench. */
    static final String JFR_RECORDING = "bench";

    final Sizes s;
    final Amqp amqp;
    /** The service's queues, through the toolkit the tests use. */
    final Broker serviceQueues;
    final Map<String, Object> env = new LinkedHashMap<>();
    final List<Map<String, Double>> runs = new ArrayList<>();
    final Map<String, List<String>> hotspots = new LinkedHashMap<>();
    Map<String, Double> m;
    ServiceUnderTest service;
    Workers workers;
    BaselineProcess baseline;
    BaselineProcess connector;

    Bench(Sizes sizes) throws Exception {
        this.s = sizes;
        this.amqp = new Amqp(s.rabbitHost, s.rabbitPort, s.rabbitUser, s.rabbitPassword);
        this.serviceQueues = Broker.forQueues(s.queue(), s.rabbitHost, s.rabbitPort, s.rabbitUser, s.rabbitPassword);
    }

    public static void main(String[] args) throws Exception {
        // Load every bench class now: the working tree's bench/target/classes may be rebuilt (or cleaned) by
        // another build while a long run is going, and a class first needed at the end would then be missing.
        for (Class<?> c : List.of(Report.class, Merge.class, HotSpots.class, LatencySink.class, Result.class,
                Amqp.Publisher.class, Amqp.BaselineConsumers.class, Amqp.Sink.class, Workers.class,
                ServiceUnderTest.class, BaselineProcess.class, BaselineProcess.Run.class, ThreadUse.class,
                ThreadUse.Thread.class, ServiceProcess.class, Sockets.class, Broker.class)) {
            Class.forName(c.getName(), true, Bench.class.getClassLoader());
        }
        java.util.Properties settings = Sizes.withExtra(System.getProperties());
        String merge = settings.getProperty("bench.merge", "").trim();
        if (!merge.isEmpty()) {
            // No run: the medians of runs made before, written to target/bench/merged unless bench.out says where.
            settings.putIfAbsent("bench.out", "target/bench/merged");
            Merge.merge(Sizes.of(settings), Arrays.stream(merge.split(",")).map(String::trim).map(Path::of).toList());
            return;
        }
        Result result = run(Sizes.of(settings));
        System.exit(result.ok ? 0 : 1);
    }

    /** What a run produced, for the smoke test. */
    record Result(boolean ok, Map<String, Double> median, Path json) {
    }

    static Result run(Sizes sizes) throws Exception {
        Bench bench = new Bench(sizes);
        try {
            return bench.all();
        } finally {
            bench.cleanUp();
            bench.serviceQueues.close();
            bench.amqp.close();
        }
    }

    Result all() throws Exception {
        Files.createDirectories(s.out);
        cleanUp();
        Path workersFile = writeWorkerConfig();
        Path jar = ServiceUnderTest.snapshot(s.out);
        env.put("date", java.time.Instant.now().toString());
        env.put("mode", s.smoke ? "smoke" : s.quick ? "quick" : "full");
        env.put("javaVersion", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("rabbitmq", amqpServerVersion());
        env.put("serviceJvmArgs", String.join(" ", s.serviceJvm));
        env.put("loadavgStart", loadavg());
        env.put("sizes", Map.of("tasks", s.tasks, "prefetch", s.prefetch, "v1Capacity", s.v1Capacity,
                "latencySeconds", s.latencySeconds, "scaleWorkers", s.scaleWorkers, "churnTasks", s.churnTasks,
                "churnPerSecond", s.churnPerSecond, "repeat", s.repeat));
        boolean ok = true;
        for (int r = 1; r <= s.repeat; r++) {
            m = new LinkedHashMap<>();
            runs.add(m);
            log("=== run " + r + "/" + s.repeat + " ===");
            service = ServiceUnderTest.start(jar, s.serviceJvm, serviceSettings(workersFile));
            workers = new Workers(service.port());
            baseline = BaselineProcess.plain(s.rabbitHost, s.rabbitPort, s.rabbitUser, s.rabbitPassword);
            connector = BaselineProcess.connector(s.connectorApp, s.serviceJvm, connectorSettings());
            try {
                if (s.jfr && r == 1) {
                    // From the start, not per scenario: starting JFR makes the JIT recompile much of what it had
                    // compiled (the churn run after a JFR.start took 232 ms of compiler CPU per 1,000 tasks, the
                    // warm-up rounds before it 14), so a recording started at a scenario profiled the JIT.
                    service.jcmd("JFR.start", "name=" + JFR_RECORDING, "settings=" + jfrSettings());
                }
                if (r == 1) {
                    String flags = service.jcmd("VM.flags");
                    env.put("serviceVmFlags", flags.substring(flags.indexOf('\n') + 1).trim());
                    env.put("serviceCommand", String.join(" ", service.command()));
                }
                warmUp();
                if (s.scenarios.contains("throughput")) {
                    throughput();
                }
                if (s.scenarios.contains("latency")) {
                    latency();
                }
                if (s.scenarios.contains("churn")) {
                    churn();
                }
                if (s.scenarios.contains("replicas")) {
                    replicas(jar, workersFile);
                }
                if (s.scenarios.contains("scale")) {
                    // a fresh service for the connection scale, so its RSS growth is not hidden in heap the
                    // throughput runs already committed
                    workers.close();
                    service.close();
                    service = ServiceUnderTest.start(jar, s.serviceJvm, serviceSettings(workersFile));
                    workers = new Workers(service.port());
                    scale();
                }
            } catch (Exception e) {
                ok = false;
                log("run " + r + " failed: " + e);
                e.printStackTrace();
                log("service output tail:\n" + service.lastOutput());
            } finally {
                workers.close();
                service.close();
                baseline.close();
                connector.close();
            }
        }
        env.put("loadavgEnd", loadavg());
        Map<String, Double> median = Report.median(runs);
        Path json = Report.write(s, env, runs, median, hotspots);
        return new Result(ok, median, json);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Setup

    Map<String, String> serviceSettings(Path workersFile) {
        Map<String, String> settings = new LinkedHashMap<>(ServiceProcess.onQueues(s.queue()));
        settings.put("mp.messaging.incoming.tasks.max-outstanding-messages", String.valueOf(s.prefetch));
        settings.putAll(brokerSettings());
        settings.put("quarkus.config.locations", workersFile.toAbsolutePath().toUri().toString());
        settings.put("taskcenter.shutdown.drain-timeout", "2s");
        // The bench measures dispatch, not the upgrade's authentication or the per-address connection limits:
        // turn those off. Unknown keys stay refused, so a renamed setting fails the run instead of being ignored.
        settings.put("taskcenter.auth.enabled", "false");
        settings.put("taskcenter.limits.connections-per-second-per-address", "1000000");
        settings.put("taskcenter.limits.max-connections", "100000");
        return settings;
    }

    /** The broker both Quarkus applications connect to, in the standard {@code rabbitmq-*} keys. */
    Map<String, String> brokerSettings() {
        return Map.of("rabbitmq-host", s.rabbitHost, "rabbitmq-port", String.valueOf(s.rabbitPort),
                "rabbitmq-username", s.rabbitUser, "rabbitmq-password", s.rabbitPassword);
    }

    /** The broker, and the connector-only baseline's own queue; its channel settings are the service's. */
    Map<String, String> connectorSettings() {
        Map<String, String> settings = new LinkedHashMap<>(brokerSettings());
        settings.put("bench.connector.queue", s.connectorQueue());
        settings.put("bench.connector.exchange", s.connectorQueue());
        settings.put("mp.messaging.incoming.tasks.max-outstanding-messages", String.valueOf(s.prefetch));
        settings.put("mp.messaging.incoming.tasks.auto-acknowledgement", String.valueOf(s.connectorAutoAck));
        return settings;
    }

    /** Worker ids: w1..wN take type 1 (throughput, latency, scale), c1..c1000 type 1 (churn), probe type 7. */
    Path writeWorkerConfig() throws IOException {
        int max = Math.max(s.scaleWorkers, Arrays.stream(s.workerCounts).max().orElse(16));
        StringBuilder b = new StringBuilder("# generated by io.taskcenter.bench.Bench\n");
        for (int i = 1; i <= max; i++) {
            b.append("taskcenter.workers.\"w").append(i).append("\".task-types=1\n");
        }
        for (int i = 1; i <= 1000; i++) {
            b.append("taskcenter.workers.\"c").append(i).append("\".task-types=1\n");
        }
        b.append("taskcenter.workers.\"probe\".task-types=7\n");
        Path file = s.out.resolve("workers.properties");
        Files.writeString(file, b.toString());
        return file;
    }

    /** The waiting rooms of the bench's worker mapping (types 1 and 7 named): 1, 7 and other. */
    List<String> rooms() {
        return List.of(serviceQueues.room("1"), serviceQueues.room("7"), serviceQueues.room("other"));
    }

    /** Deletes what the bench declared; best effort (it also runs after a failed run, whose error must show). */
    void cleanUp() {
        try {
            serviceQueues.delete(Broker.deadLetterExchange(s.queue()), rooms());
        } catch (IllegalStateException e) {
            log("clean-up of " + s.queue() + " failed: " + e.getCause());
        }
        amqp.deleteQueues(s.baselineQueue(), s.connectorQueue());
        amqp.deleteExchanges(s.baselineExchange(), s.connectorQueue());
    }

    /**
     * Tasks through every path until the service's JIT compilers are quiet, so that no measured run pays for
     * compiling: rounds of a few thousand tasks each way (at most 6), until a round costs the compiler threads
     * less than 1 ms of CPU per 1,000 tasks. The first throughput runs paid 12-14 ms per 1,000 for it with one
     * round (2026-12-02), a quarter of the service's CPU. The baselines get as many rounds.
     */
    void warmUp() throws Exception {
        int n = s.smoke ? 100 : Math.min(s.tasks / 4, 20_000);
        untilCompilerQuiet("warmUp", n + " tasks each way", 2 * n, s.smoke ? 1 : MAX_WARM_UP_ROUNDS, () -> {
            serviceThroughput("seed", 4, n, false);
            serviceThroughput("v1", 4, n, false);
            baselineThroughput(4, n, false);
            connectorThroughput(n, false);
        });
    }

    /** What one warm-up round does. */
    interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code round} until a round costs the service's compiler threads less than
     * {@link #QUIET_COMPILER_MS_PER_1000} per 1,000 of its {@code tasks}, or {@code maxRounds} times; puts
     * {@code <key>.rounds} and {@code <key>.lastRoundCompilerMsPer1000} in the run's figures.
     */
    private void untilCompilerQuiet(String key, String what, int tasks, int maxRounds, Step round) throws Exception {
        int rounds = 0;
        double compiling;
        do {
            rounds++;
            log(key + " round " + rounds + ": " + what);
            Map<Long, ThreadUse.Thread> before = service.threads();
            round.run();
            compiling = compilerTicks(before) * 10.0 * 1000 / tasks;
            log(String.format("%s round %d: the service's compiler threads took %.1f ms per 1,000 tasks", key, rounds,
                    compiling));
        } while (compiling >= QUIET_COMPILER_MS_PER_1000 && rounds < maxRounds);
        m.put(key + ".rounds", (double) rounds);
        m.put(key + ".lastRoundCompilerMsPer1000", compiling);
    }

    /** Runs {@code run}; in the first run of a {@code -Dbench.jfr=true} bench, its part of the recording is kept. */
    private <T> T profiled(String name, Callable<T> run) throws Exception {
        boolean jfr = s.jfr && runs.size() == 1;
        Instant begin = Instant.now();
        T result = run.call();
        if (jfr) {
            Instant end = Instant.now();
            Path file = s.out.resolve("service-" + name + ".jfr").toAbsolutePath();
            service.jcmd("JFR.dump", "name=" + JFR_RECORDING, "begin=" + begin, "end=" + end, "filename=" + file);
            // A dump holds whole chunks: the analysis keeps only the events of this scenario.
            hotspots.put(name, HotSpots.analyze(file, begin, end));
        }
        return result;
    }

    /** CPU ticks of the service's JIT compiler threads since {@code before}. */
    private long compilerTicks(Map<Long, ThreadUse.Thread> before) throws IOException {
        return ThreadUse.between(before, service.threads()).entrySet().stream()
                .filter(e -> e.getKey().contains("Compiler")).mapToLong(e -> e.getValue().ticks()).sum();
    }

    // ---------------------------------------------------------------------------------------------------------
    // (1) Throughput

    void throughput() throws Exception {
        connectorThroughput(s.tasks, true);
        for (int n : s.workerCounts) {
            double base = baselineThroughput(n, s.tasks, true);
            for (String proto : List.of("seed", "v1")) {
                double svc = profiled(proto + "-" + n, () -> serviceThroughput(proto, n, s.tasks, true));
                m.put("throughput." + proto + "." + n + ".ratio", svc / base);
                // Steadier than the rates on a noisy machine: both are CPU per message, measured the same way.
                double cpu = m.get("throughput." + proto + "." + n + ".cpuMsPer1000");
                m.put("throughput." + proto + "." + n + ".cpuRatio", cpu
                        / m.get("throughput.baseline." + n + ".cpuMsPer1000"));
                // What the service costs beyond the connector it is built on.
                m.put("throughput." + proto + "." + n + ".cpuRatioConnector", cpu
                        / m.get("throughput.connector.cpuMsPer1000"));
            }
        }
    }

    /**
     * JFR's "profile" settings with Java method sampling every 1 ms instead of 10: a throughput run lasts seconds,
     * and at 10 ms its profile had a few hundred samples.
     */
    private String jfrSettings() throws IOException {
        Path file = s.out.resolve("bench.jfc").toAbsolutePath();
        String profile = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
        String sampling = "<setting name=\"period\" control=\"method-sampling-java-interval\">";
        int at = profile.indexOf(sampling);
        if (at < 0) {
            return "profile";
        }
        int end = profile.indexOf("</setting>", at);
        Files.writeString(file, profile.substring(0, at + sampling.length()) + "1 ms" + profile.substring(end));
        return file.toString();
    }

    double serviceThroughput(String proto, int n, int tasks, boolean record) throws Exception {
        Arrivals arrivals = new Arrivals(tasks);
        List<WebSocket> sockets = connect(proto, n, 1, arrivals);
        awaitOnline(n);
        long acked0 = service.stat("acked");
        CpuMark cpu0 = serviceCpu();
        long start = publish(s.queue(), tasks, 1, 0);
        boolean finished = arrivals.awaitAll();
        CpuMark cpu1 = serviceCpu();
        long elapsed = arrivals.endOr(System.nanoTime()) - start;
        awaitStat("acked", acked0 + tasks, 30);
        long acked = service.stat("acked") - acked0;
        close(sockets);
        awaitOnline(0);
        long count = arrivals.count();
        double rate = count / (elapsed / 1e9);
        if (record) {
            String k = "throughput." + proto + "." + n;
            m.put(k + ".service", rate);
            double cpu = putCpu(m, k, cpu0, cpu1, tasks);
            m.put(k + ".missing", (double) (tasks - count));
            m.put(k + ".unacked", (double) (tasks - acked));
            log(String.format("throughput %-4s %2d workers: %,.0f tasks/s, service CPU %.1f ms/1000 tasks%s", proto,
                    n, rate, cpu, finished ? "" : " (INCOMPLETE " + count + ")"));
        }
        if (!finished) {
            purgeTasks();
        }
        return rate;
    }

    /** The service's CPU at one moment: its process's ticks (100 a second) and its threads'. */
    private record CpuMark(long ticks, Map<Long, ThreadUse.Thread> threads) {
    }

    private CpuMark serviceCpu() throws IOException {
        return new CpuMark(service.cpuTicks(), service.threads());
    }

    /**
     * Puts the service's CPU per 1,000 of {@code tasks} between two marks under {@code key}, in all
     * ({@code .cpuMsPer1000}) and by thread ({@link #putThreads}), and returns the first.
     */
    private static double putCpu(Map<String, Double> into, String key, CpuMark from, CpuMark to, int tasks) {
        double msPer1000 = (to.ticks() - from.ticks()) * 10.0 * 1000 / tasks;
        into.put(key + ".cpuMsPer1000", msPer1000);
        putThreads(into, key, from.threads(), to.threads(), tasks);
        return msPer1000;
    }

    /**
     * Where a process's CPU went between two readings, by thread kind: under {@code key}, CPU ms per 1,000 tasks
     * ({@code .cpuMsPer1000.thread.<kind>}), the kernel's share of it ({@code .systemShare}, also by thread) and
     * context switches, read and write system calls per task ({@code .perTask.switches|reads|writes}, also by
     * thread): how much of the cost is system calls and wake-ups rather than our code.
     */
    private static void putThreads(Map<String, Double> into, String key, Map<Long, ThreadUse.Thread> before,
            Map<Long, ThreadUse.Thread> after, int tasks) {
        Map<String, ThreadUse> used = ThreadUse.between(before, after);
        used.forEach((kind, use) -> {
            if (use.ticks() > 0) {
                into.put(key + ".cpuMsPer1000.thread." + kind, use.cpuMs() * 1000 / tasks);
                into.put(key + ".systemShare.thread." + kind, use.systemShare());
            }
            putPerTask(into, key + ".perTask.thread." + kind, use, tasks);
        });
        ThreadUse total = ThreadUse.total(used);
        into.put(key + ".systemShare", total.systemShare());
        putPerTask(into, key + ".perTask", total, tasks);
    }

    private static void putPerTask(Map<String, Double> into, String key, ThreadUse use, int tasks) {
        into.put(key + ".switches", (double) use.switches() / tasks);
        into.put(key + ".reads", (double) use.reads() / tasks);
        into.put(key + ".writes", (double) use.writes() / tasks);
    }

    /** The baseline, in its own JVM ({@link BaselineProcess}), so that its CPU per message compares with the service's. */
    double baselineThroughput(int n, int tasks, boolean record) throws Exception {
        amqp.declarePlainQueue(s.baselineExchange(), s.baselineQueue());
        return baselineRun(baseline, "throughput.baseline." + n, n + " consumers", s.baselineExchange(),
                s.baselineQueue(), n, tasks, record, 0);
    }

    /** The SmallRye RabbitMQ connector alone: one {@code @Incoming} consumer, the service's channel settings. */
    double connectorThroughput(int tasks, boolean record) throws Exception {
        // It declares its queue and subscribes once it has started; publish only after that.
        Awaitility.await("the connector baseline consuming " + s.connectorQueue()).atMost(Duration.ofSeconds(60))
                .until(() -> amqp.consumerCount(s.connectorQueue()) > 0);
        return baselineRun(connector, "throughput.connector", "connector", s.connectorQueue(), s.connectorQueue(), 1,
                tasks, record, 0);
    }

    /** A baseline process consuming {@code tasks} published at {@code publishRate} a second (0: as fast as it can). */
    private double baselineRun(BaselineProcess process, String key, String label, String exchange, String queue,
            int consumers, int tasks, boolean record, int publishRate) throws Exception {
        amqp.purge(queue);
        long[] start = new long[1];
        Map<Long, ThreadUse.Thread> threads0 = ThreadUse.read(process.pid());
        List<Map<Long, ThreadUse.Thread>> threads1 = new ArrayList<>();
        BaselineProcess.Run run = process.run(queue, consumers, s.prefetch, tasks,
                () -> start[0] = publish(exchange, tasks, 1, publishRate),
                () -> threads1.add(ThreadUse.read(process.pid())));
        double rate = run.count() / ((run.lastArrivalNanos() - start[0]) / 1e9);
        double cpuMsPer1000 = run.cpuNanos() / 1e6 * 1000 / tasks;
        if (record) {
            m.put(key, rate);
            m.put(key + ".cpuMsPer1000", cpuMsPer1000);
            putThreads(m, key, threads0, threads1.get(0), tasks);
            log(String.format("%s %-12s: %,.0f msgs/s, baseline CPU %.1f ms/1000 msgs", key, label, rate,
                    cpuMsPer1000));
        }
        return rate;
    }

    // ---------------------------------------------------------------------------------------------------------
    // (2) Latency at fixed rates

    void latency() throws Exception {
        for (int rate : s.rates) {
            int total = rate * s.latencySeconds;
            record("latency.baseline." + rate, baselineLatency(rate, total));
            // CPU per message of both baselines at this rate, in their own processes: at a fixed rate each message
            // wakes the threads it passes through by itself, so it costs more than in a throughput run.
            int sample = Math.min(total, rate * 10);
            baselineRun(baseline, "latency.plain." + rate, s.latencyWorkers + " consumers", s.baselineExchange(),
                    s.baselineQueue(), s.latencyWorkers, sample, true, rate);
            baselineRun(connector, "latency.connector." + rate, "connector", s.connectorQueue(), s.connectorQueue(), 1,
                    sample, true, rate);
            for (String proto : List.of("seed", "v1")) {
                record("latency." + proto + "." + rate,
                        profiled("latency-" + proto + "-" + rate, () -> serviceLatency(proto, rate, total)));
            }
        }
    }

    void record(String key, long[] micros) {
        m.put(key + ".p50", pct(micros, 50) / 1000.0);
        m.put(key + ".p99", pct(micros, 99) / 1000.0);
        m.put(key + ".p999", pct(micros, 99.9) / 1000.0);
        m.put(key + ".max", micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1000.0);
        log(String.format("%-24s p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (n=%d)", key, m.get(key + ".p50"),
                m.get(key + ".p99"), m.get(key + ".p999"), micros.length));
    }

    /** A sink that keeps the latency of every task after the first 10% (warm-up), in microseconds. */
    static final class LatencySink implements Amqp.Sink {
        final long[] micros;
        final int skip;
        final AtomicInteger seen = new AtomicInteger();
        final AtomicInteger kept = new AtomicInteger();
        final CountDownLatch all = new CountDownLatch(1);
        final int total;

        LatencySink(int total) {
            this.total = total;
            this.skip = total / 10;
            this.micros = new long[total];
        }

        @Override
        public void received(String name, long now) {
            long seq = Amqp.seqOf(name);
            if (seq >= skip) {
                micros[kept.getAndIncrement()] = (now - Amqp.sentNanosOf(name)) / 1000;
            }
            if (seen.incrementAndGet() == total) {
                all.countDown();
            }
        }

        long[] sorted() throws InterruptedException {
            all.await(60, TimeUnit.SECONDS);
            long[] r = Arrays.copyOf(micros, Math.min(kept.get(), micros.length));
            Arrays.sort(r);
            return r;
        }
    }

    long[] serviceLatency(String proto, int rate, int total) throws Exception {
        LatencySink sink = new LatencySink(total);
        List<WebSocket> sockets = connect(proto, s.latencyWorkers, 1, sink);
        awaitOnline(s.latencyWorkers);
        long forwarded0 = service.stat("forwarded");
        CpuMark cpu0 = serviceCpu();
        publish(s.queue(), total, 1, rate);
        long[] r = sink.sorted();
        String k = "latency." + proto + "." + rate;
        // Compares with the baselines' at the same rate (latency()), not with a throughput run's.
        double cpu = putCpu(m, k, cpu0, serviceCpu(), total);
        // A task that found every slot busy and its line here full went through its waiting room: a broker round trip.
        double roomed = (double) (service.stat("forwarded") - forwarded0) / total;
        m.put(k + ".forwardedShare", roomed);
        log(String.format("%s: service CPU %.1f ms per 1,000 tasks, %.1f%% of tasks through a waiting room", k, cpu,
                roomed * 100));
        close(sockets);
        awaitOnline(0);
        return r;
    }

    long[] baselineLatency(int rate, int total) throws Exception {
        amqp.declarePlainQueue(s.baselineExchange(), s.baselineQueue());
        amqp.purge(s.baselineQueue());
        LatencySink sink = new LatencySink(total);
        try (var consumers = new Amqp.BaselineConsumers(amqp, s.baselineQueue(), s.latencyWorkers, s.prefetch,
                sink)) {
            publish(s.baselineExchange(), total, 1, rate);
            return sink.sorted();
        }
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    // ---------------------------------------------------------------------------------------------------------
    // (3) Connection scale

    void scale() throws Exception {
        int n = s.scaleWorkers;
        service.jcmd("GC.run");
        long rssBefore = settledRss();
        long heapBefore = heapUsed();
        Semaphore inFlight = new Semaphore(200);
        List<WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        Amqp.Sink ignore = (name, now) -> { };
        long start = System.nanoTime();
        for (int i = 1; i <= n; i++) {
            inFlight.acquire();
            // 2,500 sockets per source address, from 127.0.0.2 on
            String local = "127.0.0." + (2 + (i - 1) / 2500);
            workers.seed("w" + i, local, ignore).onComplete(ar -> {
                if (ar.succeeded()) {
                    sockets.add(ar.result());
                } else {
                    failed.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(200);
        inFlight.release(200);
        boolean all = awaitStat("workersOnline", n, 120);
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        long online = service.stat("workersOnline");
        long rssConnected = settledRss();
        service.jcmd("GC.run");
        long rssAfter = settledRss();
        long heapAfter = heapUsed();
        if (s.jfr && runs.size() == 1) {
            // what the heap holds per connection: the largest classes while all workers are connected
            hotspots.put("scale-heap-histogram", service.jcmd("GC.class_histogram").lines().skip(1).limit(25)
                    .toList());
        }
        m.put("scale.workers", (double) n);
        m.put("scale.online", (double) online);
        m.put("scale.failed", (double) failed.get());
        m.put("scale.connectSeconds", connectSeconds);
        m.put("scale.rssBeforeMiB", rssBefore / 1048576.0);
        m.put("scale.rssAfterMiB", rssAfter / 1048576.0);
        m.put("scale.rssConnectedNoGcMiB", rssConnected / 1048576.0);
        m.put("scale.bytesPerConnection", (rssAfter - rssBefore) / (double) n);
        m.put("scale.heapBytesPerConnection", (heapAfter - heapBefore) / (double) n);
        log(String.format("scale: %d/%d online in %.1f s (%d failed); RSS %.0f -> %.0f MiB (%.0f before GC): "
                + "%.0f bytes/connection (heap after GC: %.0f bytes/connection)", online, n, connectSeconds, failed.get(), rssBefore / 1048576.0,
                rssAfter / 1048576.0, rssConnected / 1048576.0, (rssAfter - rssBefore) / (double) n,
                (heapAfter - heapBefore) / (double) n));
        // the latency of tasks to one chosen worker while all the others are connected
        LatencySink sink = new LatencySink(s.probeTasks);
        WebSocket probe = await(workers.seed("probe", "127.0.0.1", sink));
        awaitStat("workersOnline", online + 1, 30);
        publish(s.queue(), s.probeTasks, 7, 20);
        record("scale.probe", sink.sorted());
        probe.close();
        close(sockets);
        awaitOnline(0);
        if (!all) {
            throw new IllegalStateException("only " + online + " of " + n + " workers came online");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // (4) Churn

    /** Empties the task queues and waiting rooms: what a scenario left must not count in the next. */
    void purgeTasks() {
        serviceQueues.purge(rooms());
    }

    void churn() throws Exception {
        if (!s.smoke) {
            // Connecting is a path of its own (upgrade, registry, worker lock, slots), compiled by the JIT while it
            // runs. Production connects for days; measure that. One round of 10,000 tasks was not enough on two
            // shared cores: the compiler threads still took 156-232 ms per 1,000 tasks of the measured run, the
            // largest share of the service's CPU (2026-12-02, with and without waiting rooms). So rounds, like the
            // throughput warm-up's, until the compiler is quiet.
            int warm = Math.min(s.churnTasks / 5, 10_000);
            untilCompilerQuiet("churn.warmUp", warm + " tasks", warm, MAX_CHURN_WARM_UP_ROUNDS,
                    () -> churn(warm, new LinkedHashMap<>()));
        }
        profiled("churn", () -> {
            churn(s.churnTasks, m);
            return null;
        });
    }

    /** One churn run of {@code tasks}, its figures put in {@code into}. */
    void churn(int tasks, Map<String, Double> into) throws Exception {
        purgeTasks();
        BitSet done = new BitSet(tasks);
        AtomicLong received = new AtomicLong();
        AtomicLong end = new AtomicLong();
        CountDownLatch all = new CountDownLatch(1);
        Amqp.Sink sink = (name, now) -> {
            received.incrementAndGet();
            int seq = (int) Amqp.seqOf(name);
            synchronized (done) {
                if (!done.get(seq)) {
                    done.set(seq);
                    if (done.cardinality() == tasks) {
                        end.set(now);
                        all.countDown();
                    }
                }
            }
        };
        long requeued0 = service.stat("requeued");
        long forwarded0 = service.stat("forwarded");
        List<WebSocket> stable = connect("v1", 4, 1, sink);
        awaitOnline(4);
        AtomicLong connects = new AtomicLong();
        AtomicLong connectFailures = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        long periodMs = Math.max(1, 1000 / s.churnPerSecond);
        long timer = workers.vertx().setPeriodic(periodMs, id -> {
            int k = next.getAndIncrement();
            String local = "127.0.0." + (50 + k % 10);
            workers.v1("c" + (1 + k % 1000), 1, 4, local, sink).onComplete(ar -> {
                if (ar.succeeded()) {
                    connects.incrementAndGet();
                    workers.vertx().setTimer(s.churnLifetimeMs, t -> ar.result().close());
                } else {
                    connectFailures.incrementAndGet();
                }
            });
        });
        CpuMark cpu0 = serviceCpu();
        long start = publish(s.queue(), tasks, 1, 0);
        boolean finished = all.await(Math.max(120, tasks / 200), TimeUnit.SECONDS);
        long elapsed = (finished ? end.get() : System.nanoTime()) - start;
        putCpu(into, "churn", cpu0, serviceCpu(), tasks);
        workers.vertx().cancelTimer(timer);
        long churnConnects = connects.get();
        // The last churn workers close after their lifetime; then only the stable ones are online. They stay until
        // the copies of tasks a churn worker left holding (retries, a few percent; hundreds in a cold first round)
        // are done too: closed at once, they left those copies to wait for no worker, to be requeued and then
        // dead-lettered 20 s later, a few hundred at a time, outlasting the wait for an idle service below.
        awaitOnline(stable.size());
        awaitDrained();
        close(stable);
        awaitOnline(0);
        awaitIdle();
        // A task counts as reached when a worker got it or it is in the dead-letter queue, both at once too: one
        // that a churn worker took away when it left, and that then found no worker after the stable ones closed,
        // is dead-lettered by the requeue-once rule after it reached a worker.
        List<String> dead = serviceQueues.takeAll(serviceQueues.deadLetterQueue()).stream()
                .map(message -> Amqp.taskNameOf(message.getBody())).toList();
        long dlq = dead.size();
        int unique;
        long lost;
        synchronized (done) {
            unique = done.cardinality();
            BitSet reached = (BitSet) done.clone();
            dead.forEach(name -> reached.set((int) Amqp.seqOf(name)));
            lost = tasks - reached.cardinality();
        }
        double rate = unique / (elapsed / 1e9);
        into.put("churn.tasks", (double) tasks);
        into.put("churn.service", rate);
        into.put("churn.connectsPerSecond", churnConnects / (elapsed / 1e9));
        into.put("churn.connectFailures", (double) connectFailures.get());
        into.put("churn.duplicates", (double) (received.get() - unique));
        into.put("churn.requeued", (double) (service.stat("requeued") - requeued0));
        into.put("churn.forwarded", (double) (service.stat("forwarded") - forwarded0));
        into.put("churn.deadLettered", (double) dlq);
        into.put("churn.lost", (double) lost);
        Double base = m.get("throughput.baseline." + (m.containsKey("throughput.baseline.4") ? 4
                : s.workerCounts[0]));
        if (base != null) {
            into.put("churn.ratio", rate / base);
        }
        log(String.format("churn: %,.0f tasks/s with %.0f connects/s (%d failed), %d unique done, %d duplicate "
                + "deliveries, %d dead-lettered, %d lost", rate, churnConnects / (elapsed / 1e9),
                connectFailures.get(), unique, received.get() - unique, dlq, lost));
    }

    /**
     * Three replicas on the same queues, the v1 workers spread over them (w1 on the first, w2 on the second, ...):
     * every task reaches a worker whichever replica took it, through the waiting rooms where it must. Compared with
     * the same-run baseline of as many consumers; CPU is the three replicas' together.
     */
    void replicas(Path jar, Path workersFile) throws Exception {
        int n = m.containsKey("throughput.baseline.4") ? 4 : s.workerCounts[0];
        Double base = m.get("throughput.baseline." + n);
        if (base == null) {
            base = baselineThroughput(n, s.tasks, true);
        }
        List<ServiceUnderTest> replicas = new ArrayList<>(List.of(service));
        List<Workers> clients = new ArrayList<>(List.of(workers));
        try {
            for (int i = 0; i < 2; i++) {
                ServiceUnderTest more = ServiceUnderTest.start(jar, s.serviceJvm, serviceSettings(workersFile));
                replicas.add(more);
                clients.add(new Workers(more.port()));
            }
            // The two new replicas are cold: a warm-up through all three first, so their JIT is not what is measured.
            int warmUp = s.smoke ? 100 : Math.min(s.tasks / 4, 20_000);
            AtomicReference<Arrivals> current = new AtomicReference<>(new Arrivals(warmUp));
            Amqp.Sink sink = (name, now) -> current.get().received(name, now);
            List<WebSocket> sockets = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                sockets.add(await(clients.get((i - 1) % 3).v1("w" + i, 1, s.v1Capacity, "127.0.0.1", sink)));
            }
            for (int r = 0; r < 3; r++) {
                int share = (n - r + 2) / 3;
                ServiceUnderTest replica = replicas.get(r);
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> replica.stat("workersOnline") == share);
            }
            publish(s.queue(), warmUp, 1, 0);
            current.get().awaitAll();
            Arrivals arrivals = new Arrivals(s.tasks);
            current.set(arrivals);
            long cpu0 = cpuTicks(replicas);
            long forwarded0 = sum(replicas, "forwarded");
            long start = publish(s.queue(), s.tasks, 1, 0);
            boolean finished = arrivals.awaitAll();
            long cpu1 = cpuTicks(replicas);
            long elapsed = arrivals.endOr(System.nanoTime()) - start;
            double rate = arrivals.count() / (elapsed / 1e9);
            double cpu = (cpu1 - cpu0) * 10.0 * 1000 / s.tasks;
            long forwarded = sum(replicas, "forwarded") - forwarded0;
            close(sockets);
            m.put("replicas.v1." + n + ".service", rate);
            m.put("replicas.v1." + n + ".ratio", rate / base);
            m.put("replicas.v1." + n + ".cpuMsPer1000", cpu);
            m.put("replicas.v1." + n + ".cpuRatio", cpu / m.get("throughput.baseline." + n + ".cpuMsPer1000"));
            m.put("replicas.v1." + n + ".missing", (double) (s.tasks - arrivals.count()));
            m.put("replicas.v1." + n + ".forwardedShare", (double) forwarded / s.tasks);
            log(String.format("replicas: 3 replicas, %d v1 workers spread over them: %,.0f tasks/s (ratio %.2f),"
                    + " CPU of all three %.1f ms/1000 tasks, %.0f%% of tasks through a waiting room%s", n, rate,
                    rate / base, cpu, 100.0 * forwarded / s.tasks, finished ? "" : " (INCOMPLETE " + arrivals.count()
                            + ")"));
            if (!finished) {
                purgeTasks();
            }
        } finally {
            for (int i = 1; i < replicas.size(); i++) {
                clients.get(i).close();
                replicas.get(i).close();
            }
        }
    }

    private static long cpuTicks(List<ServiceUnderTest> replicas) throws IOException {
        long ticks = 0;
        for (ServiceUnderTest replica : replicas) {
            ticks += replica.cpuTicks();
        }
        return ticks;
    }

    private static long sum(List<ServiceUnderTest> replicas, String stat) {
        long total = 0;
        for (ServiceUnderTest replica : replicas) {
            total += replica.stat(stat);
        }
        return total;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    /** Workers w1..wN of the protocol, all on 127.0.0.1; v1 ones with the configured capacity. */
    List<WebSocket> connect(String proto, int n, int type, Amqp.Sink sink) throws Exception {
        List<WebSocket> sockets = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Future<WebSocket> f = proto.equals("seed") ? workers.seed("w" + i, "127.0.0.1", sink)
                    : workers.v1("w" + i, type, s.v1Capacity, "127.0.0.1", sink);
            sockets.add(await(f));
        }
        return sockets;
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static void close(List<WebSocket> sockets) {
        synchronized (sockets) {
            for (WebSocket ws : sockets) {
                ws.close();
            }
        }
    }

    /** Counts arrivals at workers or consumers, and notes when the last of {@code expected} came. */
    static final class Arrivals implements Amqp.Sink {

        private final long expected;
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong end = new AtomicLong();
        private final CountDownLatch all = new CountDownLatch(1);

        Arrivals(long expected) {
            this.expected = expected;
        }

        @Override
        public void received(String taskName, long receivedNanos) {
            if (count.incrementAndGet() == expected) {
                end.set(receivedNanos);
                all.countDown();
            }
        }

        /** Waits for all, up to a bound that grows with their number; false if some never came. */
        boolean awaitAll() throws InterruptedException {
            return all.await(Math.max(120, expected / 200), TimeUnit.SECONDS);
        }

        /** When the last one came, or {@code otherwise} if not all did. */
        long endOr(long otherwise) {
            return all.getCount() == 0 ? end.get() : otherwise;
        }

        long count() {
            return count.get();
        }
    }

    void awaitOnline(long n) throws InterruptedException {
        awaitStat("workersOnline", n, 60);
    }

    boolean awaitStat(String name, long value, int seconds) {
        try {
            Awaitility.await().pollInterval(Duration.ofMillis(50)).atMost(Duration.ofSeconds(seconds)).until(() -> {
                long v = service.stat(name);
                return name.equals("workersOnline") ? v == value : v >= value;
            });
            return true;
        } catch (ConditionTimeoutException e) {
            log("timed out waiting for " + name + " = " + value + " (is " + service.stat(name) + ")");
            return false;
        }
    }

    /**
     * Waits until no task is left anywhere for the workers online: none held or waiting in the service, none ready in
     * the task queue or a waiting room. Held for half a second, since a retried task's copy is briefly in neither
     * (published, not yet confirmed).
     */
    void awaitDrained() {
        Awaitility.await().pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(60))
                .until(() -> serviceIdle() && serviceQueues.ready(s.queue()) == 0
                        && rooms().stream().allMatch(room -> serviceQueues.ready(room) == 0));
    }

    /** Waits until the service holds no task and has none waiting: every task is settled or in the DLQ. */
    void awaitIdle() {
        Awaitility.await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(60))
                .until(this::serviceIdle);
    }

    /** Whether the service holds no task and has none waiting for a worker. */
    private boolean serviceIdle() {
        return service.stat("inFlight") == 0 && service.stat("waiting") == 0;
    }

    /** The service's RSS once it stops moving (two readings 200 ms apart within 1%), after a GC or a storm. */
    long settledRss() {
        long[] last = { -1 };
        return Awaitility.await().pollDelay(Duration.ofMillis(200)).pollInterval(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(15))
                .until(() -> {
                    long previous = last[0];
                    last[0] = service.rssBytes();
                    return previous > 0 && Math.abs(last[0] - previous) <= previous / 100 ? last[0] : null;
                }, Objects::nonNull);
    }

    /**
     * Publishes {@code n} tasks with confirms, at {@code rate} per second (0: as fast as confirms allow), and
     * returns the time of the first publish. Returns once all are confirmed.
     */
    long publish(String exchange, int n, int type, int rate) throws Exception {
        try (Amqp.Publisher p = new Amqp.Publisher(amqp, exchange, 1000)) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long now;
                    while ((now = System.nanoTime()) < due) {
                        LockSupport.parkNanos(Math.min(due - now, 200_000));
                    }
                }
                p.publish(i, type);
            }
            p.awaitConfirms(60_000);
            if (p.nacked() > 0) {
                log("WARNING: " + p.nacked() + " publishes nacked by the broker");
            }
            return start;
        }
    }

    /** Used heap in bytes, from {@code jcmd GC.heap_info} ("used NNNK" of the first line). */
    long heapUsed() {
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("used (\\d+)K").matcher(service.jcmd("GC.heap_info"));
        return x.find() ? Long.parseLong(x.group(1)) * 1024 : -1;
    }

    String amqpServerVersion() {
        try (var c = amqp.newConnection("bench-version")) {
            return String.valueOf(c.getServerProperties().get("version"));
        } catch (Exception e) {
            return "unknown";
        }
    }

    static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void log(String line) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + line);
    }
}
