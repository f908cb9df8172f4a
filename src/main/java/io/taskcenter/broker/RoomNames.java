package io.taskcenter.broker;

import io.taskcenter.dispatch.TaskClass;

/**
 * The names of the waiting rooms' exchanges and queues, all derived from the task queue's name: the direct
 * exchange {@code <tasks>.wait}, one quorum queue {@code <tasks>.wait.<class>} per task class bound with the class
 * name, and the presence exchange {@code <tasks>.presence}.
 */
public record RoomNames(String tasksQueue) {

    public String exchange() {
        return tasksQueue + ".wait";
    }

    public String queue(TaskClass taskClass) {
        return exchange() + "." + taskClass.name();
    }

    public String presenceExchange() {
        return tasksQueue + ".presence";
    }

    /** The exclusive queue whose owner is the one replica a worker id is online on. */
    public String workerLock(String workerId) {
        return tasksQueue + ".worker." + workerId;
    }
}
