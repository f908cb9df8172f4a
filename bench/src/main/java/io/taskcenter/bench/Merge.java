package io.taskcenter.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Medians over runs made by separate bench invocations ({@code -Dbench.merge=a/bench.json,b/bench.json,...}). To
 * compare two builds of the service on a noisy machine, their runs are best alternated (before, after, before,
 * after, ...), so that the machine's drift falls on both sides alike, which three runs of one build followed by
 * three of the other do not give; this puts each side's runs back together into the table, {@code bench.json} and
 * chart that one {@code -Dbench.repeat=N} invocation writes. The table's labels (sizes, quick or full) come from the
 * same {@code -D} settings as the runs'; the environment is the first file's.
 */
final class Merge {

    private Merge() {
    }

    /** Writes the medians of every run in {@code files} to {@code sizes.out}. */
    static Path merge(Bench.Sizes sizes, List<Path> files) throws IOException {
        List<Map<String, Double>> runs = new ArrayList<>();
        Map<String, Object> env = null;
        for (Path file : files) {
            JsonObject json = new JsonObject(Files.readString(file));
            if (env == null) {
                env = json.getJsonObject("environment", new JsonObject()).getMap();
            }
            JsonArray fileRuns = json.getJsonArray("runs");
            if (fileRuns == null || fileRuns.isEmpty()) {
                throw new IllegalArgumentException(file + " holds no runs");
            }
            for (int i = 0; i < fileRuns.size(); i++) {
                Map<String, Double> run = new LinkedHashMap<>();
                fileRuns.getJsonObject(i).forEach(e -> {
                    // A figure a run could not take (NaN) is written as null.
                    if (e.getValue() instanceof Number n) {
                        run.put(e.getKey(), n.doubleValue());
                    }
                });
                runs.add(run);
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>(env);
        merged.put("mergedFrom", files.stream().map(Path::toString).toList());
        Files.createDirectories(sizes.out);
        return Report.write(sizes, merged, runs, Report.median(runs), Map.of());
    }
}
