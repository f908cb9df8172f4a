package io.taskcenter.security;

import java.util.Set;

/**
 * What a worker's token allows: the one worker id it may connect as, the task types it may take, and the
 * largest capacity it may declare.
 *
 * @param workerId the worker id the token was issued for
 * @param taskTypes the types it may take; {@code null} for any type
 * @param maxCapacity the largest capacity its hello may declare
 */
public record WorkerGrant(String workerId, Set<Integer> taskTypes, int maxCapacity) {

    public boolean allows(int taskType) {
        return taskTypes == null || taskTypes.contains(taskType);
    }
}
