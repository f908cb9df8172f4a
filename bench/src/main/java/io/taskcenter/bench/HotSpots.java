package io.taskcenter.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Hot methods from a JFR recording's {@code jdk.ExecutionSample} events (what {@code jfr print --events
 * jdk.ExecutionSample} shows, counted): the top frames (self time) and the service's own methods by inclusive
 * samples.
 */
final class HotSpots {

    private HotSpots() {
    }

    static List<String> analyze(Path jfr) {
        return analyze(jfr, Instant.MIN, Instant.MAX);
    }

    /** As {@link #analyze(Path)}, counting only the events that started from {@code begin} to {@code end}. */
    static List<String> analyze(Path jfr, Instant begin, Instant end) {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> ownInclusive = new HashMap<>();
        Map<String, double[]> threadCpu = new HashMap<>();
        Map<String, Long> allocated = new HashMap<>();
        long allocatedTotal = 0;
        long gcs = 0;
        double gcPauseMs = 0;
        int total = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (e.getStartTime().isBefore(begin) || e.getStartTime().isAfter(end)) {
                    continue;
                }
                String type = e.getEventType().getName();
                if (type.equals("jdk.ThreadCPULoad") && e.getThread("eventThread") != null) {
                    String thread = String.valueOf(e.getThread("eventThread").getJavaName())
                            .replaceAll("\\d+", "N") + "#" + e.getThread("eventThread").getId();
                    double[] sum = threadCpu.computeIfAbsent(thread, k -> new double[2]);
                    sum[0] += e.getFloat("user") + e.getFloat("system");
                    sum[1]++;
                    continue;
                }
                if (type.equals("jdk.ObjectAllocationSample")) {
                    long w = e.getLong("weight");
                    allocated.merge(e.getClass("objectClass").getName(), w, Long::sum);
                    allocatedTotal += w;
                    continue;
                }
                if (type.equals("jdk.GarbageCollection")) {
                    gcs++;
                    gcPauseMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                total++;
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (!frames.isEmpty()) {
                    self.merge(name(frames.get(0)), 1, Integer::sum);
                }
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (n.startsWith("io.taskcenter.") && seen.add(n)) {
                        ownInclusive.merge(n, 1, Integer::sum);
                    }
                }
            }
        } catch (IOException e) {
            return List.of("could not read " + jfr + ": " + e);
        }
        List<String> out = new ArrayList<>();
        out.add("samples: " + total + " (" + jfr.getFileName() + ")");
        out.add("top frames (self):");
        top(self, total, 25, out);
        out.add("io.taskcenter methods (inclusive):");
        top(ownInclusive, total, 12, out);
        out.add("threads by CPU (jdk.ThreadCPULoad: mean load of each thread, summed by name pattern; "
                + "100% = all cores of the machine):");
        Map<String, Double> cpu = new HashMap<>();
        threadCpu.forEach((k, v) -> cpu.merge(k.substring(0, k.lastIndexOf('#')), 100 * v[0] / v[1], Double::sum));
        cpu.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> out.add(String.format("  %5.1f%%  %s", e.getValue(), e.getKey())));
        out.add(String.format("GC: %d collections, %.0f ms paused in total", gcs, gcPauseMs));
        out.add(String.format("allocation (sampled weight) by class, %.0f MB in total:", allocatedTotal / 1e6));
        final long at = allocatedTotal;
        allocated.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(10)
                .forEach(e -> out.add(String.format("  %5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, at),
                        e.getKey())));
        return out;
    }

    private static void top(Map<String, Integer> counts, int total, int n, List<String> out) {
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .forEach(e -> out.add(String.format("  %5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, total),
                        e.getKey())));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    public static void main(String[] args) {
        analyze(Path.of(args[0])).forEach(System.out::println);
    }
}
