package io.taskcenter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Medians over runs, the stdout table, {@code target/bench/bench.json} and {@code target/bench/bench.svg}. */
final class Report {

    private Report() {
    }

    static Map<String, Double> median(List<Map<String, Double>> runs) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(r.keySet()));
        Map<String, Double> median = new LinkedHashMap<>();
        for (String k : keys) {
            double[] v = runs.stream().filter(r -> r.containsKey(k)).mapToDouble(r -> r.get(k)).sorted().toArray();
            median.put(k, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return median;
    }

    static Path write(Bench.Sizes s, Map<String, Object> env, List<Map<String, Double>> runs,
            Map<String, Double> med, Map<String, List<String>> hotspots) throws IOException {
        String table = table(s, med, runs.size());
        System.out.println();
        System.out.println(table);
        hotspots.forEach((k, lines) -> {
            System.out.println("JFR hot spots, " + k + ":");
            lines.forEach(System.out::println);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("environment", env);
        json.put("median", med);
        json.put("runs", runs);
        json.put("hotspots", hotspots);
        Path file = s.out.resolve("bench.json");
        Files.writeString(file, toJson(json, "") + "\n");
        Files.writeString(s.out.resolve("bench.txt"), table + "\n");
        Path svg = s.out.resolve("bench.svg");
        Files.writeString(svg, svg(s, med));
        System.out.println("Written: " + file + ", " + svg + ", " + s.out.resolve("bench.txt"));
        return file;
    }

    static String table(Bench.Sizes s, Map<String, Double> m, int runs) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Task Center bench (%s, median of %d run%s)%n", s.smoke ? "smoke" : s.quick ? "quick"
                : "full", runs, runs == 1 ? "" : "s"));
        String line = "-".repeat(114) + "\n";
        // CPU columns: ms of CPU per 1,000 messages, the service's and the plain baseline consumers' (each in a JVM
        // of its own), their ratio, which holds steadier than the rates on a shared machine, and the service's over
        // the connector-only baseline's (what Task Center's own code adds to the connector it is built on).
        String throughputRow = "%-34s %10s %10s %6s %8s %11s %11s %9s %9s%n";
        b.append(line).append(String.format(throughputRow, "Throughput (tasks/s, " + s.tasks + " tasks)",
                "service", "baseline", "ratio", "target", "svc CPU/1k", "base CPU/1k", "CPU ratio", "vs conn."))
                .append(line);
        b.append(String.format(throughputRow, "connector alone, 1 consumer", num(m.get("throughput.connector"), 0),
                "", "", "", num(m.get("throughput.connector.cpuMsPer1000"), 1), "", "", ""));
        for (int n : s.workerCounts) {
            for (String p : List.of("seed", "v1")) {
                String k = "throughput." + p + "." + n;
                b.append(String.format(throughputRow, p + ", " + n + " workers", num(m.get(k + ".service"), 0),
                        num(m.get("throughput.baseline." + n), 0), num(m.get(k + ".ratio"), 2),
                        ">= 0.90", num(m.get(k + ".cpuMsPer1000"), 1),
                        num(m.get("throughput.baseline." + n + ".cpuMsPer1000"), 1), num(m.get(k + ".cpuRatio"), 2),
                        num(m.get(k + ".cpuRatioConnector"), 2)));
            }
        }
        for (String k : m.keySet().stream().filter(key -> key.startsWith("replicas.v1.") && key.endsWith(".service"))
                .toList()) {
            String prefix = k.substring(0, k.length() - ".service".length());
            String n = prefix.substring("replicas.v1.".length());
            b.append(String.format(throughputRow, "v1, " + n + " workers on 3 replicas", num(m.get(k), 0),
                    num(m.get("throughput.baseline." + n), 0), num(m.get(prefix + ".ratio"), 2), "",
                    num(m.get(prefix + ".cpuMsPer1000"), 1),
                    num(m.get("throughput.baseline." + n + ".cpuMsPer1000"), 1), num(m.get(prefix + ".cpuRatio"), 2),
                    ""));
        }
        String connectorThreads = threads(m, "throughput.connector");
        if (!connectorThreads.isEmpty()) {
            b.append(String.format("  connector alone CPU by thread: %s%n", connectorThreads));
        }
        for (int n : s.workerCounts) {
            String baselineThreads = threads(m, "throughput.baseline." + n);
            if (!baselineThreads.isEmpty()) {
                b.append(String.format("  baseline CPU by thread, %d consumers: %s%n", n, baselineThreads));
            }
            for (String p : List.of("seed", "v1")) {
                String threads = threads(m, "throughput." + p + "." + n);
                if (!threads.isEmpty()) {
                    b.append(String.format("  service CPU by thread, %s %d: %s%n", p, n, threads));
                }
            }
        }
        b.append(line).append(String.format("%-34s %14s %14s %14s %14s %9s%n", "Latency publish->worker (ms)",
                "p50 svc/base", "p99 svc/base", "p99.9 svc/base", "p99 delta", "target")).append(line);
        for (int r : s.rates) {
            String base = "latency.baseline." + r;
            for (String p : List.of("seed", "v1")) {
                String k = "latency." + p + "." + r;
                Double d = m.containsKey(k + ".p99") ? m.get(k + ".p99") - m.get(base + ".p99") : null;
                b.append(String.format("%-34s %14s %14s %14s %14s %9s%n", p + " at " + r + "/s, " + s.latencySeconds
                        + " s", pair(m, k, base, ".p50"), pair(m, k, base, ".p99"), pair(m, k, base, ".p999"),
                        d == null ? "-" : String.format("%+.2f", d), r == 1000 ? "<= +2 ms" : ""));
            }
        }
        for (int r : s.rates) {
            Double plain = m.get("latency.plain." + r + ".cpuMsPer1000");
            Double connector = m.get("latency.connector." + r + ".cpuMsPer1000");
            Double seed = m.get("latency.seed." + r + ".cpuMsPer1000");
            Double v1 = m.get("latency.v1." + r + ".cpuMsPer1000");
            b.append(String.format("  CPU ms per 1,000 at %d/s: service seed %s, v1 %s; plain consumers %s, connector"
                    + " alone %s; service / plain %s, %s; service / connector %s, %s%n", r, num(seed, 1), num(v1, 1),
                    num(plain, 1), num(connector, 1), num(ratio(seed, plain), 2), num(ratio(v1, plain), 2),
                    num(ratio(seed, connector), 2), num(ratio(v1, connector), 2)));
        }
        b.append(line).append(String.format("Connection scale (%d idle seed workers)%n", s.scaleWorkers)).append(line);
        b.append(String.format("  online %s, failed %s, connect all %s s, RSS %s -> %s MiB, %s bytes/connection "
                + "(target <= 16384), of which heap %s%n", num(m.get("scale.online"), 0), num(m.get("scale.failed"), 0),
                num(m.get("scale.connectSeconds"), 1), num(m.get("scale.rssBeforeMiB"), 0),
                num(m.get("scale.rssAfterMiB"), 0), num(m.get("scale.bytesPerConnection"), 0),
                num(m.get("scale.heapBytesPerConnection"), 0)));
        b.append(String.format("  task to one chosen worker meanwhile: p50 %s ms, p99 %s ms, max %s ms%n",
                num(m.get("scale.probe.p50"), 2), num(m.get("scale.probe.p99"), 2), num(m.get("scale.probe.max"),
                        2)));
        b.append(line).append(String.format("Churn (v1, %d tasks, %d connects/s target)%n", s.churnTasks,
                s.churnPerSecond)).append(line);
        b.append(String.format("  %s tasks/s vs baseline (4 consumers) %s: ratio %s; %s connects/s achieved; "
                + "lost %s, dead-lettered %s, requeued %s, duplicate deliveries %s, through a waiting room %s%n",
                num(m.get("churn.service"), 0),
                num(m.get("throughput.baseline.4"), 0), num(m.get("churn.ratio"), 2),
                num(m.get("churn.connectsPerSecond"), 0), num(m.get("churn.lost"), 0),
                num(m.get("churn.deadLettered"), 0), num(m.get("churn.requeued"), 0),
                num(m.get("churn.duplicates"), 0), num(m.get("churn.forwarded"), 0)));
        b.append(String.format("  service CPU %s ms per 1,000 tasks; by thread: %s%n", num(m.get("churn.cpuMsPer1000"), 1),
                threads(m, "churn")));
        b.append(line);
        return b.toString();
    }

    /**
     * The kernel's share of a run's CPU and its system calls per task, then its biggest thread kinds, "name ms per
     * 1,000 tasks (kernel share, context switches / reads / writes per task)" each, the largest first.
     */
    private static String threads(Map<String, Double> m, String key) {
        String prefix = key + ".cpuMsPer1000.thread.";
        String kinds = m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue())).limit(6)
                .map(e -> {
                    String kind = e.getKey().substring(prefix.length());
                    return kind + " " + num(e.getValue(), 1) + " (" + calls(m, key, ".thread." + kind) + ")";
                })
                .collect(java.util.stream.Collectors.joining(", "));
        return kinds.isEmpty() ? "" : "all (" + calls(m, key, "") + "); " + kinds;
    }

    private static String calls(Map<String, Double> m, String key, String thread) {
        Double share = m.get(key + ".systemShare" + thread);
        String perTask = key + ".perTask" + thread;
        return "kernel " + (share == null ? "-" : num(share * 100, 0) + "%") + ", " + num(m.get(perTask + ".switches"), 2)
                + " cs/" + num(m.get(perTask + ".reads"), 2) + " rd/" + num(m.get(perTask + ".writes"), 2) + " wr";
    }

    private static String pair(Map<String, Double> m, String k, String base, String suffix) {
        return num(m.get(k + suffix), 2) + "/" + num(m.get(base + suffix), 2);
    }

    private static Double ratio(Double a, Double b) {
        return a == null || b == null ? null : a / b;
    }

    private static String num(Double v, int decimals) {
        return v == null || v.isNaN() ? "-" : String.format("%,." + decimals + "f", v);
    }

    // ---------------------------------------------------------------------------------------------------------

    static String svg(Bench.Sizes s, Map<String, Double> m) {
        List<String[]> tp = new ArrayList<>();  // label, service key, baseline key
        for (int n : s.workerCounts) {
            for (String p : List.of("seed", "v1")) {
                tp.add(new String[] {p + " " + n + "w", "throughput." + p + "." + n + ".service",
                        "throughput.baseline." + n});
            }
        }
        tp.add(new String[] {"churn v1", "churn.service", "throughput.baseline.4"});
        List<String[]> lat = new ArrayList<>();
        for (int r : s.rates) {
            for (String p : List.of("seed", "v1")) {
                for (String q : List.of("p50", "p99", "p999")) {
                    lat.add(new String[] {p + " " + r + "/s " + q.replace("p999", "p99.9"),
                            "latency." + p + "." + r + "." + q, "latency.baseline." + r + "." + q});
                }
            }
        }
        List<String[]> cpu = new ArrayList<>();
        cpu.add(new String[] {"connector alone", "throughput.connector.cpuMsPer1000",
                "throughput.baseline." + s.workerCounts[0] + ".cpuMsPer1000"});
        for (int n : s.workerCounts) {
            for (String p : List.of("seed", "v1")) {
                cpu.add(new String[] {p + " " + n + "w", "throughput." + p + "." + n + ".cpuMsPer1000",
                        "throughput.baseline." + n + ".cpuMsPer1000"});
            }
        }
        int w = 1000;
        int h = 1160;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(h)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" "
                        + "fill=\"white\"/>\n");
        b.append("<text x=\"10\" y=\"20\" font-size=\"14\">Task Center bench: service (blue) vs plain-AMQP "
                + "baseline (grey), medians</text>\n");
        panel(b, "Throughput, tasks/s", tp, m, 40, 330, w, false);
        panel(b, "Latency publish → worker, ms (log scale)", lat, m, 420, 380, w, true);
        panel(b, "CPU per 1,000 tasks, ms (the connector-only baseline first)", cpu, m, 810, 330, w, false);
        b.append("</svg>\n");
        return b.toString();
    }

    private static void panel(StringBuilder b, String title, List<String[]> bars, Map<String, Double> m, int top,
            int height, int width, boolean log) {
        double max = bars.stream().flatMap(x -> Arrays.stream(new String[] {x[1], x[2]}))
                .mapToDouble(k -> m.getOrDefault(k, 0.0)).filter(v -> !Double.isNaN(v)).max().orElse(1);
        max = max <= 0 ? 1 : max * 1.1;
        int left = 60;
        int chartTop = top + 25;
        int chartH = height - 90;
        int slot = (width - left - 20) / Math.max(1, bars.size());
        b.append("<text x=\"10\" y=\"").append(top + 12).append("\" font-size=\"13\">").append(title)
                .append("</text>\n");
        b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", left,
                chartTop + chartH, width - 20, chartTop + chartH));
        final double top0 = max;
        java.util.function.DoubleUnaryOperator scale = log
                ? v -> Math.max(0, Math.log10(v / 0.1) / Math.log10(top0 / 0.1))
                : v -> v / top0;
        int ticks = log ? (int) Math.ceil(Math.log10(max / 0.1)) : 4;
        for (int t = 0; t <= ticks; t++) {
            double v = log ? 0.1 * Math.pow(10, t) : max * t / 4;
            if (log && v > max) {
                break;
            }
            int y = chartTop + chartH - (int) (chartH * scale.applyAsDouble(v));
            b.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                    + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>%n", left - 4, y + 4,
                    v >= 100 ? String.format("%,.0f", v) : v >= 1 ? String.format("%.0f", v) : String.format("%.1f", v), left, y, width - 20, y));
        }
        for (int i = 0; i < bars.size(); i++) {
            String[] bar = bars.get(i);
            int x = left + i * slot + slot / 8;
            int bw = Math.max(2, slot * 3 / 8);
            bar(b, x, bw, m.get(bar[1]), scale, chartTop, chartH, "#3b6fb6");
            bar(b, x + bw, bw, m.get(bar[2]), scale, chartTop, chartH, "#aaaaaa");
            int lx = x + bw;
            int ly = chartTop + chartH + 12;
            b.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-40 %d %d)\">"
                    + "%s</text>%n", lx, ly, lx, ly, bar[0]));
        }
    }

    private static void bar(StringBuilder b, int x, int bw, Double v, java.util.function.DoubleUnaryOperator scale,
            int top, int h, String color) {
        if (v == null || v.isNaN() || v < 0) {
            return;
        }
        int bh = (int) (h * scale.applyAsDouble(v));
        b.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%.2f</title>"
                + "</rect>%n", x, top + h - bh, bw, bh, color, v));
    }

    // ---------------------------------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    static String toJson(Object o, String indent) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "null";
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
        }
        if (o instanceof Boolean) {
            return o.toString();
        }
        if (o instanceof Map<?, ?> map) {
            String in = indent + "  ";
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<Object, Object>) map).entrySet()) {
                b.append(first ? "\n" : ",\n").append(in).append(str(e.getKey().toString())).append(": ")
                        .append(toJson(e.getValue(), in));
                first = false;
            }
            return b.append(first ? "}" : "\n" + indent + "}").toString();
        }
        if (o instanceof List<?> list) {
            String in = indent + "  ";
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "\n" : ",\n").append(in).append(toJson(list.get(i), in));
            }
            return b.append(list.isEmpty() ? "]" : "\n" + indent + "]").toString();
        }
        return str(o.toString());
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
