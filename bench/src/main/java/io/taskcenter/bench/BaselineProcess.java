package io.taskcenter.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throughput baseline in a JVM of its own, so that its CPU per message is measured the way the service's is,
 * apart from the producer and the workers in the bench's JVM. Two kinds speak the same protocol: plain AMQP
 * consumers ({@link #plain}, this class's {@code main}) and the SmallRye RabbitMQ connector alone ({@link #connector},
 * the Quarkus application in {@code bench/connector-baseline}). The bench drives either over stdin/stdout, one line
 * each way per step:
 * <pre>
 * bench → RUN queue consumers prefetch expected     baseline → READY cpuNanos
 *                                                   baseline → DONE count lastArrivalNanos cpuNanos
 * bench → END                                       baseline → ENDED
 * bench → QUIT
 * </pre>
 * A run's consumers stay open until END, so that the bench can read their threads from {@code /proc} after DONE;
 * ENDED says they are closed, and will not take messages meant for the next run, in this process or another.
 * {@code System.nanoTime()} is the machine's monotonic clock, the same in both JVMs on Linux, so the bench can
 * time a run from its first publish to the last arrival here. It stays up for the whole bench, so the warm-up
 * warms its JIT too.
 */
final class BaselineProcess implements AutoCloseable {

    /** One run's figures: what arrived, when the last did, and the consumers' CPU while it ran. */
    record Run(long count, long lastArrivalNanos, long cpuNanos) {
    }

    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private BaselineProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Plain consumers of the RabbitMQ Java client, as many as each run asks for. */
    static BaselineProcess plain(String host, int port, String user, String password) throws IOException {
        List<String> command = List.of(java(), "-XX:+UseSerialGC", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), BaselineProcess.class.getName(), host, String.valueOf(port),
                user, password);
        return new BaselineProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /**
     * The connector-only application ({@code jar}), with the service's JVM flags and the given {@code -D}
     * settings; its one consumer and prefetch are set when it starts, so each run must ask for those.
     */
    static BaselineProcess connector(Path jar, List<String> jvmArgs, Map<String, String> settings) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -f bench/connector-baseline/pom.xml"
                    + " package, which ./mvnw -Pbench verify and ./mvnw verify do)");
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmArgs);
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", jar.toString()));
        return new BaselineProcess(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Starts {@code consumers} on {@code queue}, runs {@code publish} once they are ready, waits for all, runs
     * {@code done} while the consumers are still open, then has them closed.
     */
    Run run(String queue, int consumers, int prefetch, long expected, Step publish, Step done) throws Exception {
        send("RUN " + queue + " " + consumers + " " + prefetch + " " + expected);
        String[] ready = expect("READY");
        long cpu0 = Long.parseLong(ready[1]);
        publish.run();
        String[] finished = expect("DONE");
        done.run();
        send("END");
        expect("ENDED");
        return new Run(Long.parseLong(finished[1]), Long.parseLong(finished[2]), Long.parseLong(finished[3]) - cpu0);
    }

    interface Step {
        void run() throws Exception;
    }

    private void send(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
    }

    private String[] expect(String word) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            String[] parts = line.trim().split(" ");
            if (parts[0].equals(word)) {
                return parts;
            }
            if (parts[0].equals("REFUSED")) {
                throw new IOException("the baseline process refused the run: " + line);
            }
        }
        throw new IOException("the baseline process ended before it said " + word + " (exit "
                + (process.isAlive() ? "none yet" : process.exitValue()) + ")");
    }

    @Override
    public void close() throws Exception {
        try {
            send("QUIT");
        } catch (IOException gone) {
            // Ended already.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The baseline JVM: consumes as told, and reports on stdout. */
    public static void main(String[] args) throws Exception {
        PrintStream report = System.out;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Amqp amqp = new Amqp(args[0], Integer.parseInt(args[1]), args[2], args[3]);
                BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            Amqp.BaselineConsumers consumers = null;
            for (String line = commands.readLine(); line != null && !line.equals("QUIT"); line = commands.readLine()) {
                if (consumers != null) {
                    consumers.close();
                    consumers = null;
                }
                if (line.equals("END")) {
                    report.println("ENDED");
                    report.flush();
                    continue;
                }
                String[] run = line.split(" ");
                long expected = Long.parseLong(run[4]);
                Bench.Arrivals arrivals = new Bench.Arrivals(expected);
                consumers = new Amqp.BaselineConsumers(amqp, run[1], Integer.parseInt(run[2]),
                        Integer.parseInt(run[3]), arrivals);
                report.println("READY " + os.getProcessCpuTime());
                report.flush();
                arrivals.awaitAll();
                long cpu = os.getProcessCpuTime();
                report.println("DONE " + arrivals.count() + " " + arrivals.endOr(System.nanoTime()) + " " + cpu);
                report.flush();
            }
            if (consumers != null) {
                consumers.close();
            }
        }
    }
}
