package io.taskcenter.stats;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.quarkus.runtime.Startup;
import io.taskcenter.dispatch.DispatchListener;
import io.taskcenter.dispatch.Effect;
import io.taskcenter.messaging.DeadLetterReason;
import io.taskcenter.messaging.SettlementListener;
import io.taskcenter.registry.WorkerPolicy;

/**
 * What happened to tasks since the service started, as Micrometer meters (scraped at {@code /q/metrics}) that
 * the operations API sums up. Task types become the {@code type} tag only when configuration names them; every
 * other type is tagged {@code other}, so a producer inventing types cannot blow up the number of series.
 * <p>
 * The counts are {@link LongAdder}s that Micrometer reads when scraped ({@link FunctionCounter}): a counter of
 * Quarkus's composite registry passes each increment on to every registry in it, and that showed per task in the
 * profile. The timers stay timers: their histograms are what the percentiles are made of.
 */
// Created at startup, not on first use, so that its meters show zeros from the first scrape.
@Startup
@Singleton
public class TaskStats implements DispatchListener, SettlementListener {

    static final String DISPATCHED = "taskcenter.tasks.dispatched";
    static final String COMPLETED = "taskcenter.tasks.completed";
    static final String FAILED = "taskcenter.tasks.failed";
    static final String ACKED = "taskcenter.tasks.acked";
    static final String REQUEUED = "taskcenter.tasks.requeued";
    static final String DEAD_LETTERED = "taskcenter.tasks.dead.lettered";
    static final String HANDOVER = "taskcenter.tasks.handover";
    static final String COMPLETION = "taskcenter.tasks.completion";
    static final String OTHER = "other";

    private final MeterRegistry registry;
    private final Set<Integer> namedTypes;
    /** The meters of each type tag, looked up once: building a meter id per task showed in the profile. */
    private final Map<String, TypeMeters> byTypeTag = new HashMap<>();
    private final LongAdder acked;
    private final LongAdder requeued;
    private final Map<DeadLetterReason, LongAdder> deadLettered = new EnumMap<>(DeadLetterReason.class);

    TaskStats(MeterRegistry registry, WorkerPolicy policy) {
        this.registry = registry;
        this.namedTypes = policy.namedTypes();
        // All present from the start, so dashboards see zeros rather than gaps.
        namedTypes.forEach(type -> byTypeTag.put(String.valueOf(type), new TypeMeters(registry, String.valueOf(type))));
        byTypeTag.put(OTHER, new TypeMeters(registry, OTHER));
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettered.put(reason, count(registry, DEAD_LETTERED, "Task messages dead-lettered, by reason",
                    "reason", reason.tag()));
        }
        acked = count(registry, ACKED, "Task messages acked to RabbitMQ");
        requeued = count(registry, REQUEUED, "Task messages returned to the queue");
    }

    @Override
    public void on(Effect.Event event) {
        if (event instanceof Effect.Dispatched dispatched) {
            TypeMeters meters = metersOf(dispatched.assignment().task().type());
            meters.dispatched.increment();
            meters.handover.record(dispatched.waited());
        } else if (event instanceof Effect.Completed completed) {
            TypeMeters meters = metersOf(completed.assignment().task().type());
            meters.completed.increment();
            meters.completion.record(completed.took());
        } else if (event instanceof Effect.Failed failed) {
            metersOf(failed.assignment().task().type()).failed.increment();
        }
    }

    @Override
    public void acked() {
        acked.increment();
    }

    @Override
    public void requeued() {
        requeued.increment();
    }

    @Override
    public void deadLettered(DeadLetterReason reason) {
        deadLettered.get(reason).increment();
    }

    public long dispatchedCount() {
        return byTypeTag.values().stream().mapToLong(meters -> meters.dispatched.sum()).sum();
    }

    public long completedCount() {
        return byTypeTag.values().stream().mapToLong(meters -> meters.completed.sum()).sum();
    }

    public long failedCount() {
        return byTypeTag.values().stream().mapToLong(meters -> meters.failed.sum()).sum();
    }

    /** Acks the broker connection has taken; the broker has them unless that connection drops now. */
    public long ackedCount() {
        return acked.sum();
    }

    public long requeuedCount() {
        return requeued.sum();
    }

    public long deadLetteredCount(DeadLetterReason reason) {
        return deadLettered.get(reason).sum();
    }

    public long deadLetteredCount() {
        return deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** From receipt to written to a worker, all task types together. */
    public Histogram handoverHistogram() {
        return histogram(HANDOVER);
    }

    /** From written to a v1 worker to its done report, all task types together. */
    public Histogram completionHistogram() {
        return histogram(COMPLETION);
    }

    /**
     * The buckets of a timer's percentile histogram summed over its type tags. Every tag's timer has the same
     * buckets (one configuration); the count of all values is added as a last, infinite bucket.
     */
    private Histogram histogram(String name) {
        double[] bounds = null;
        double[] counts = null;
        double total = 0;
        for (Timer timer : registry.find(name).timers()) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            CountAtBucket[] buckets = snapshot.histogramCounts();
            if (bounds == null) {
                bounds = new double[buckets.length + 1];
                counts = new double[buckets.length + 1];
                for (int i = 0; i < buckets.length; i++) {
                    bounds[i] = buckets[i].bucket(TimeUnit.MILLISECONDS);
                }
                bounds[buckets.length] = Double.POSITIVE_INFINITY;
            }
            for (int i = 0; i < Math.min(buckets.length, counts.length - 1); i++) {
                counts[i] += buckets[i].count();
            }
            total += snapshot.count();
        }
        if (bounds == null) {
            return new Histogram(new double[0], new double[0]);
        }
        counts[counts.length - 1] = total;
        return new Histogram(bounds, counts);
    }

    /** The {@code type} tag of a task type: its number if configuration names it, else {@code other}. */
    private String typeTag(int type) {
        return namedTypes.contains(type) ? String.valueOf(type) : OTHER;
    }

    private TypeMeters metersOf(int type) {
        return byTypeTag.get(typeTag(type));
    }

    /** The meters tagged with one task type. */
    private static final class TypeMeters {

        final LongAdder dispatched;
        final LongAdder completed;
        final LongAdder failed;
        final Timer handover;
        final Timer completion;

        TypeMeters(MeterRegistry registry, String type) {
            dispatched = count(registry, DISPATCHED, "Tasks written to a worker's socket", "type", type);
            completed = count(registry, COMPLETED, "Tasks v1 workers reported done", "type", type);
            failed = count(registry, FAILED, "Tasks v1 workers reported failed", "type", type);
            handover = Timer.builder(HANDOVER).description("From receipt from RabbitMQ to written to a worker")
                    .tag("type", type).publishPercentileHistogram().register(registry);
            completion = Timer.builder(COMPLETION).description("From written to a v1 worker to its done report")
                    .tag("type", type).publishPercentileHistogram().register(registry);
        }
    }

    /** A count scraped as the counter {@code name} with {@code tags}; the returned adder is what holds it. */
    private static LongAdder count(MeterRegistry registry, String name, String description, String... tags) {
        LongAdder count = new LongAdder();
        // The meter holds its state weakly: the adder lives as long as this bean keeps it.
        FunctionCounter.builder(name, count, LongAdder::sum).description(description).tags(tags).register(registry);
        return count;
    }

}
