package io.taskcenter.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every setting of the service that is not a RabbitMQ channel setting ({@code mp.messaging.*}).
 */
@ConfigMapping(prefix = "taskcenter")
public interface TaskCenterConfig {

    /**
     * The workers that may connect, keyed by worker id, with the task types each one takes.
     * A worker id that is not listed here is refused when it connects.
     * The default mapping is the seed's: workers {@code 1} and {@code 3} take type 1,
     * workers {@code 2} and {@code 4} take every other type.
     */
    Map<String, WorkerRule> workers();

    /**
     * How long a newly opened connection may stay silent before it has to send its worker id.
     * A connection that says nothing is closed, so idle sockets cannot pile up.
     */
    @WithDefault("10s")
    Duration helloTimeout();

    interface WorkerRule {

        /**
         * The task types this worker takes: a list of integers, {@code any} for every type, or
         * {@code other} for every type that no worker lists explicitly.
         */
        @WithName("task-types")
        List<String> taskTypes();
    }
}
