package io.taskcenter.registry;

import java.util.Set;
import java.util.function.IntPredicate;

/**
 * The task types one worker takes. Built by {@link WorkerPolicy} from configuration.
 */
public final class TaskTypes {

    private final String description;
    private final IntPredicate accepts;

    private TaskTypes(String description, IntPredicate accepts) {
        this.description = description;
        this.accepts = accepts;
    }

    public static TaskTypes of(Set<Integer> types) {
        Set<Integer> copy = Set.copyOf(types);
        return new TaskTypes(copy.toString(), copy::contains);
    }

    static TaskTypes any() {
        return new TaskTypes("any", type -> true);
    }

    /** Every type that is not in {@code claimed}, the types some worker lists explicitly. */
    static TaskTypes otherThan(Set<Integer> claimed) {
        Set<Integer> copy = Set.copyOf(claimed);
        return new TaskTypes("other than " + copy, type -> !copy.contains(type));
    }

    public boolean accepts(int taskType) {
        return accepts.test(taskType);
    }

    @Override
    public String toString() {
        return description;
    }
}
