package io.taskcenter.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.taskcenter.task.TaskTypes;

/**
 * A class of tasks that wait together in one waiting room: one per task type that {@code taskcenter.workers} names
 * by number, and {@code other} for every type it does not name.
 */
public record TaskClass(String name, int type, Set<Integer> named) {

    /** The name of the class of the types no worker names. */
    public static final String OTHER = "other";
    private static final int NONE = Integer.MIN_VALUE;

    public TaskClass {
        named = Set.copyOf(named);
    }

    /** Every class, given the types configuration names: each named type in order, then {@code other}. */
    public static List<TaskClass> all(Set<Integer> named) {
        List<TaskClass> classes = new ArrayList<>();
        for (int type : new TreeSet<>(named)) {
            classes.add(new TaskClass(String.valueOf(type), type, named));
        }
        classes.add(new TaskClass(OTHER, NONE, named));
        return classes;
    }

    /** The class a task of {@code type} waits in. */
    public static TaskClass of(int type, Set<Integer> named) {
        return named.contains(type) ? new TaskClass(String.valueOf(type), type, named) : new TaskClass(OTHER, NONE, named);
    }

    public boolean isOther() {
        return type == NONE;
    }

    /** Whether a worker taking {@code types} takes some task of this class. */
    public boolean servedBy(TaskTypes types) {
        return isOther() ? types.acceptsOtherThan(named) : types.accepts(type);
    }

    @Override
    public String toString() {
        return "class " + name;
    }
}
