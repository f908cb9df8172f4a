package io.taskcenter.bench.connector;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Speaks the bench's baseline protocol ({@code io.taskcenter.bench.BaselineProcess}) on stdin/stdout, one line
 * each way per step:
 * <pre>
 * bench → RUN queue consumers prefetch expected     baseline → READY cpuNanos
 *                                                   baseline → DONE count lastArrivalNanos cpuNanos
 * bench → END                                       baseline → ENDED
 * bench → QUIT
 * </pre>
 * The queue, its one consumer and the prefetch are the connector's, set by configuration when the application
 * starts; a RUN that asks for others is refused rather than measured under the wrong name. Its consumer stays
 * for the next run, so END has nothing to close.
 */
@QuarkusMain
public class ConnectorBaseline implements QuarkusApplication {

    @Inject
    Arrivals arrivals;

    @ConfigProperty(name = "mp.messaging.incoming.tasks.queue.name")
    String queue;

    @ConfigProperty(name = "mp.messaging.incoming.tasks.max-outstanding-messages")
    int prefetch;

    @Override
    public int run(String... args) throws Exception {
        PrintStream report = System.out;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = commands.readLine(); line != null && !line.equals("QUIT"); line = commands.readLine()) {
            if (line.equals("END")) {
                report.println("ENDED");
                report.flush();
                continue;
            }
            String[] run = line.split(" ");
            if (run.length != 5 || !run[0].equals("RUN") || !run[1].equals(queue) || !run[2].equals("1")
                    || Integer.parseInt(run[3]) != prefetch) {
                report.println("REFUSED this baseline consumes " + queue + " with 1 consumer, prefetch " + prefetch
                        + ": " + line);
                report.flush();
                return 2;
            }
            Arrivals.Run current = arrivals.expect(Long.parseLong(run[4]));
            report.println("READY " + os.getProcessCpuTime());
            report.flush();
            current.await();
            long cpu = os.getProcessCpuTime();
            report.println("DONE " + current.count() + " " + current.last() + " " + cpu);
            report.flush();
        }
        return 0;
    }
}
