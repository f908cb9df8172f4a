package io.taskcenter.stats;

import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.Worker;
import io.taskcenter.registry.WorkerPolicy;
import io.taskcenter.registry.WorkerRegistry;

/**
 * The service's state right now, read at every scrape: workers online per task type, tasks in flight and
 * tasks waiting for a worker.
 */
@ApplicationScoped
class Gauges {

    static final String WORKERS_ONLINE = "taskcenter.workers.online";
    static final String IN_FLIGHT = "taskcenter.tasks.in.flight";
    static final String WAITING = "taskcenter.tasks.waiting";

    void register(@Observes StartupEvent started, MeterRegistry registry, WorkerRegistry workers,
            WorkerPolicy policy, Dispatcher dispatcher) {
        Set<Integer> named = policy.namedTypes();
        for (int type : named) {
            Gauge.builder(WORKERS_ONLINE, workers, online -> count(online, worker -> worker.taskTypes().accepts(type)))
                    .description("Workers online that take the task type").tag("type", String.valueOf(type))
                    .register(registry);
        }
        Gauge.builder(WORKERS_ONLINE, workers,
                online -> count(online, worker -> worker.taskTypes().acceptsOtherThan(named)))
                .description("Workers online that take the task type").tag("type", "other").register(registry);
        Gauge.builder(IN_FLIGHT, dispatcher, Dispatcher::inFlight)
                .description("Tasks held by workers, not yet settled").register(registry);
        Gauge.builder(WAITING, dispatcher, Dispatcher::waiting)
                .description("Tasks received and waiting for a worker with a free slot").register(registry);
    }

    private static double count(WorkerRegistry workers, Predicate<Worker> takes) {
        return workers.online().stream().filter(online -> takes.test(online.worker())).count();
    }
}
