package io.taskcenter.task;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The task types one worker takes: a list of types, every type, or every type no worker is configured for
 * by number ("other").
 */
public final class TaskTypes {

    private enum Kind {
        LISTED,
        ANY,
        OTHER
    }

    private final Kind kind;
    private final Set<Integer> types;

    private TaskTypes(Kind kind, Set<Integer> types) {
        this.kind = kind;
        this.types = Set.copyOf(types);
    }

    public static TaskTypes of(Set<Integer> types) {
        return new TaskTypes(Kind.LISTED, types);
    }

    public static TaskTypes any() {
        return new TaskTypes(Kind.ANY, Set.of());
    }

    /** Every type that is not in {@code named}, the types configuration lists by number. */
    public static TaskTypes otherThan(Set<Integer> named) {
        return new TaskTypes(Kind.OTHER, named);
    }

    /** The types of these that {@code allowed} also lists; all of these if {@code allowed} is null. */
    public TaskTypes restrictedTo(Set<Integer> allowed) {
        if (allowed == null) {
            return this;
        }
        return of(allowed.stream().filter(this::accepts).collect(Collectors.toSet()));
    }

    public boolean accepts(int taskType) {
        return switch (kind) {
            case LISTED -> types.contains(taskType);
            case ANY -> true;
            case OTHER -> !types.contains(taskType);
        };
    }

    /** Whether this worker takes some type that is not in {@code named}: it counts as an "other" worker. */
    public boolean acceptsOtherThan(Set<Integer> named) {
        return kind != Kind.LISTED || !named.containsAll(types);
    }

    /** The types this lists one by one; empty for "any" and "other". */
    public Set<Integer> listed() {
        return kind == Kind.LISTED ? types : Set.of();
    }

    /** Every type: "any". */
    public boolean isAny() {
        return kind == Kind.ANY;
    }

    /** Every type not named by number: "other". */
    public boolean isOther() {
        return kind == Kind.OTHER;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LISTED -> new TreeSet<>(types).toString();
            case ANY -> "any";
            case OTHER -> "other than " + new TreeSet<>(types);
        };
    }
}
