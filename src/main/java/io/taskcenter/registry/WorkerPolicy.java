package io.taskcenter.registry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.config.TaskCenterConfig.WorkerRule;
import io.taskcenter.task.TaskTypes;

/**
 * Which worker ids may connect, and which task types each one takes, as configured under
 * {@code taskcenter.workers}. Resolved once at startup; a bad entry fails the startup with the key to fix.
 */
@ApplicationScoped
public class WorkerPolicy {

    static final String ANY = "any";
    static final String OTHER = "other";

    private final Map<String, TaskTypes> typesByWorker;
    private final Set<Integer> namedTypes;

    WorkerPolicy(TaskCenterConfig config) {
        this.typesByWorker = resolve(config.workers());
        this.namedTypes = namedTypes(config.workers());
    }

    /** The task types configuration lists by number; {@code other} means every type not in this set. */
    public Set<Integer> namedTypes() {
        return namedTypes;
    }

    /** The task types {@code workerId} takes, or empty if this id is not allowed to connect. */
    public Optional<TaskTypes> typesFor(String workerId) {
        return Optional.ofNullable(typesByWorker.get(workerId));
    }

    static Map<String, TaskTypes> resolve(Map<String, WorkerRule> rules) {
        Set<Integer> claimed = namedTypes(rules);
        Map<String, TaskTypes> resolved = new HashMap<>();
        rules.forEach((id, rule) -> resolved.put(id, toTaskTypes(id, rule.taskTypes(), claimed)));
        return Map.copyOf(resolved);
    }

    private static Set<Integer> namedTypes(Map<String, WorkerRule> rules) {
        Set<Integer> named = new HashSet<>();
        rules.forEach((id, rule) -> rule.taskTypes().stream()
                .filter(token -> !isKeyword(token))
                .forEach(token -> named.add(parseType(id, token))));
        return Set.copyOf(named);
    }

    private static TaskTypes toTaskTypes(String id, List<String> tokens, Set<Integer> claimed) {
        if (tokens.size() == 1 && ANY.equalsIgnoreCase(tokens.get(0).trim())) {
            return TaskTypes.any();
        }
        if (tokens.size() == 1 && OTHER.equalsIgnoreCase(tokens.get(0).trim())) {
            return TaskTypes.otherThan(claimed);
        }
        Set<Integer> types = new HashSet<>();
        for (String token : tokens) {
            if (isKeyword(token)) {
                throw invalid(id, "'" + token.trim() + "' cannot be combined with other task types");
            }
            types.add(parseType(id, token));
        }
        return TaskTypes.of(types);
    }

    private static boolean isKeyword(String token) {
        return ANY.equalsIgnoreCase(token.trim()) || OTHER.equalsIgnoreCase(token.trim());
    }

    private static int parseType(String id, String token) {
        try {
            return Integer.parseInt(token.trim());
        } catch (NumberFormatException e) {
            throw invalid(id, "'" + token.trim() + "' is neither an integer task type nor 'any' or 'other'");
        }
    }

    private static IllegalArgumentException invalid(String id, String problem) {
        return new IllegalArgumentException("Invalid taskcenter.workers.\"" + id + "\".task-types: " + problem);
    }
}
