package io.taskcenter.stats;

import java.time.Duration;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.taskcenter.registry.WorkerPolicy;

/**
 * What happened to tasks since the service started, as Micrometer meters (scraped at {@code /q/metrics}) that
 * the operations API sums up. Task types become the {@code type} tag only when configuration names them; every
 * other type is tagged {@code other}, so a producer inventing types cannot blow up the number of series.
 */
// Created at startup, not on first use, so that its meters show zeros from the first scrape.
@Startup
@ApplicationScoped
public class TaskStats {

    static final String DISPATCHED = "taskcenter.tasks.dispatched";
    static final String COMPLETED = "taskcenter.tasks.completed";
    static final String FAILED = "taskcenter.tasks.failed";
    static final String ACKED = "taskcenter.tasks.acked";
    static final String REQUEUED = "taskcenter.tasks.requeued";
    static final String DEAD_LETTERED = "taskcenter.tasks.dead.lettered";
    static final String HANDOVER = "taskcenter.tasks.handover";
    static final String COMPLETION = "taskcenter.tasks.completion";

    private final MeterRegistry registry;
    private final Set<Integer> namedTypes;

    TaskStats(MeterRegistry registry, WorkerPolicy policy) {
        this.registry = registry;
        this.namedTypes = policy.namedTypes();
        // Present from the start, so dashboards see zeros rather than gaps.
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetteredCounter(reason);
        }
        Counter.builder(ACKED).description("Task messages acked to RabbitMQ").register(registry);
        Counter.builder(REQUEUED).description("Task messages returned to the queue").register(registry);
        namedTypes.forEach(this::registerPerType);
        registerPerType(null);
    }

    /** The counters of one type tag ({@code other} for null), so they show zeros before the first task. */
    private void registerPerType(Integer type) {
        String tag = type == null ? "other" : String.valueOf(type);
        Counter.builder(DISPATCHED).description("Tasks written to a worker's socket").tag("type", tag).register(registry);
        Counter.builder(COMPLETED).description("Tasks v1 workers reported done").tag("type", tag).register(registry);
        Counter.builder(FAILED).description("Tasks v1 workers reported failed").tag("type", tag).register(registry);
    }

    /** A task was written to a worker's socket, {@code waited} after it was received from RabbitMQ. */
    public void dispatched(int type, Duration waited) {
        Counter.builder(DISPATCHED).description("Tasks written to a worker's socket").tag("type", typeTag(type))
                .register(registry).increment();
        Timer.builder(HANDOVER).description("From receipt from RabbitMQ to written to a worker")
                .tag("type", typeTag(type)).publishPercentileHistogram().register(registry).record(waited);
    }

    /** A v1 worker reported a task done, {@code took} after it was written to it. */
    public void completed(int type, Duration took) {
        Counter.builder(COMPLETED).description("Tasks v1 workers reported done").tag("type", typeTag(type))
                .register(registry).increment();
        Timer.builder(COMPLETION).description("From written to a v1 worker to its done report")
                .tag("type", typeTag(type)).publishPercentileHistogram().register(registry).record(took);
    }

    /** A v1 worker reported a task failed. */
    public void failed(int type) {
        Counter.builder(FAILED).description("Tasks v1 workers reported failed").tag("type", typeTag(type))
                .register(registry).increment();
    }

    public void acked() {
        registry.counter(ACKED).increment();
    }

    public void requeued() {
        registry.counter(REQUEUED).increment();
    }

    public void deadLettered(DeadLetterReason reason) {
        deadLetteredCounter(reason).increment();
    }

    public long dispatchedCount() {
        return sum(DISPATCHED);
    }

    public long completedCount() {
        return sum(COMPLETED);
    }

    public long failedCount() {
        return sum(FAILED);
    }

    /** Acks the broker connection has taken; the broker has them unless that connection drops now. */
    public long ackedCount() {
        return sum(ACKED);
    }

    public long requeuedCount() {
        return sum(REQUEUED);
    }

    public long deadLetteredCount(DeadLetterReason reason) {
        return (long) deadLetteredCounter(reason).count();
    }

    public long deadLetteredCount() {
        return sum(DEAD_LETTERED);
    }

    /** The {@code type} tag of a task type: its number if configuration names it, else {@code other}. */
    public String typeTag(int type) {
        return namedTypes.contains(type) ? String.valueOf(type) : "other";
    }

    private Counter deadLetteredCounter(DeadLetterReason reason) {
        return Counter.builder(DEAD_LETTERED).description("Task messages dead-lettered, by reason")
                .tag("reason", reason.tag()).register(registry);
    }

    private long sum(String name) {
        return (long) registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }
}
