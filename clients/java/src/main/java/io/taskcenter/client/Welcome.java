package io.taskcenter.client;

import java.time.Duration;
import java.util.List;

/**
 * What the service granted in its {@code welcome}: the effective id, capacity and task types, and how long
 * the connection may stay silent before either side gives up on it.
 */
public record Welcome(String workerId, int capacity, List<Integer> taskTypes, Duration heartbeatTimeout) {
}
