package io.taskcenter.rooms;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.taskcenter.broker.BrokerClient;
import io.taskcenter.broker.DeliveryLimits;
import io.taskcenter.broker.RoomNames;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.DispatchListener;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.dispatch.Effect;
import io.taskcenter.dispatch.Parker;
import io.taskcenter.dispatch.TaskClass;
import io.taskcenter.dispatch.TaskRef;
import io.taskcenter.dispatch.Worker;
import io.taskcenter.messaging.Delivery;
import io.taskcenter.messaging.SettlementListener;
import io.taskcenter.messaging.Settlements;
import io.taskcenter.registry.WorkerPolicy;
import io.taskcenter.task.InvalidTaskException;
import io.taskcenter.task.Task;
import io.taskcenter.task.TaskParser;

/**
 * Where tasks wait in RabbitMQ while no free slot of this replica can take them, so that one busy task type holds
 * up no other and any number of replicas share one broker.
 * <ul>
 * <li><b>Park.</b> A task from the shared queue that no free slot here takes ({@link Effect.Park}) is published,
 * persistent, mandatory and confirmed, to the direct exchange {@code <tasks>.wait} with its class as the key, into
 * the quorum queue {@code <tasks>.wait.<class>}; only then is the original acked. That happens only while an
 * eligible worker is online on some replica ({@link Presence}); else the task stays here under the no-worker rule.</li>
 * <li><b>Take for free slots.</b> While workers here take a class, this replica consumes its room with a prefetch
 * of their slots: the broker brings a room's task only when one of them is free (a task from the shared queue
 * that took the slot first leaves it waiting here, at most one per slot). A task taken from a room settles like
 * any other ({@link RoomDelivery}).</li>
 * <li><b>Stranded.</b> Tasks left in a room while no eligible worker is online anywhere go back to the task queue
 * after {@code worker-wait}, where the no-worker rule meets them.</li>
 * </ul>
 * The same connection keeps this replica's {@link Presence} and its {@link WorkerLocks}. Everything that talks
 * to the broker runs on the rooms' one thread ({@link RoomLink}).
 */
@ApplicationScoped
public class WaitingRooms implements Parker, DispatchListener {

    /** How often the rooms' depths are read and stranded tasks looked for. */
    static final Duration SWEEP = Duration.ofSeconds(1);
    /** How long a room is not consumed after it gave a task no worker here takes (a type of "other" no worker lists). */
    static final Duration MISMATCH_BACKOFF = Duration.ofSeconds(1);
    /** At most this many stranded tasks go back to the task queue per room and sweep. */
    static final int RETURN_BATCH = 256;
    private static final long NEVER = Long.MIN_VALUE;
    private static final int BEFORE_MESSAGING = 900;

    private final boolean enabled;
    private final Dispatcher dispatcher;
    private final TaskParser parser;
    private final Settlements settlements;
    private final SettlementListener listener;
    private final RoomLink link;
    private final Presence presence;
    private final WorkerLocks locks;
    private final String exchange;
    private final String tasksQueue;
    private final String deadLetterExchange;
    private final String deadLetterRoutingKey;
    private final long workerWaitNanos;
    private final Set<Integer> namedTypes;
    private final Map<String, Room> rooms = new LinkedHashMap<>();
    private final Counter forwarded;
    private final Counter taken;
    private final Counter returned;
    /** The workers here that take tasks, as presence knows them; on the rooms' thread only. */
    private final Set<Worker> present = new HashSet<>();

    /** One class's room, as this replica sees it; touched on the rooms' thread only, but {@link #depth}. */
    private static final class Room {
        final TaskClass taskClass;
        final String queue;
        String consumer;
        int prefetch;
        long backoffUntil = NEVER;
        long noWorkerSince = NEVER;
        volatile long depth = -1;

        Room(TaskClass taskClass, String queue) {
            this.taskClass = taskClass;
            this.queue = queue;
        }
    }

    WaitingRooms(TaskCenterConfig config, Dispatcher dispatcher, TaskParser parser, Settlements settlements,
            SettlementListener listener, BrokerClient broker, WorkerPolicy policy, MeterRegistry registry,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.queue.name") String tasksQueue,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-exchange") String deadLetterExchange,
            @ConfigProperty(name = "mp.messaging.incoming.tasks.dead-letter-routing-key") String deadLetterRoutingKey) {
        this.enabled = config.rooms().enabled();
        this.dispatcher = dispatcher;
        this.parser = parser;
        this.settlements = settlements;
        this.listener = listener;
        this.tasksQueue = tasksQueue;
        RoomNames names = new RoomNames(tasksQueue);
        this.exchange = names.exchange();
        this.deadLetterExchange = deadLetterExchange;
        this.deadLetterRoutingKey = deadLetterRoutingKey;
        this.workerWaitNanos = config.dispatch().workerWait().toNanos();
        this.namedTypes = policy.namedTypes();
        this.presence = new Presence(names.presenceExchange(), namedTypes,
                config.rooms().presenceCache().toNanos());
        this.link = new RoomLink(broker, new RoomLink.Lifecycle() {
            @Override
            public void up(RoomLink link) throws IOException {
                declare();
                locks.relock();
            }

            @Override
            public void down() {
                rooms.values().forEach(room -> {
                    room.consumer = null;
                    room.prefetch = 0;
                });
                locks.lost();
            }
        });
        this.locks = new WorkerLocks(link, names);
        for (TaskClass taskClass : TaskClass.all(namedTypes)) {
            Room room = new Room(taskClass, names.queue(taskClass));
            rooms.put(taskClass.name(), room);
            Gauge.builder("taskcenter.rooms.depth", room, r -> r.depth < 0 ? Double.NaN : r.depth)
                    .description("Tasks ready in a waiting room, as last read from RabbitMQ")
                    .tag("class", taskClass.name()).register(registry);
        }
        this.forwarded = Counter.builder("taskcenter.rooms.forwarded")
                .description("Tasks moved from the task queue to a waiting room").register(registry);
        this.taken = Counter.builder("taskcenter.rooms.taken")
                .description("Tasks taken from a waiting room for a free slot").register(registry);
        this.returned = Counter.builder("taskcenter.rooms.returned")
                .description("Tasks moved back to the task queue: no eligible worker online anywhere").register(registry);
    }

    /** Connects before the messaging channels start, so that the first tasks find their rooms. */
    void start(@Observes @Priority(BEFORE_MESSAGING) StartupEvent started) {
        if (enabled) {
            link.start();
        }
    }

    @PreDestroy
    void stop() {
        if (enabled) {
            link.close();
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** Each room's queue and its depth as last read (-1 before the first read), in class order. */
    public Map<String, Long> depths() {
        Map<String, Long> depths = new LinkedHashMap<>();
        rooms.values().forEach(room -> depths.put(room.queue, room.depth));
        return depths;
    }

    public long forwardedCount() {
        return (long) forwarded.count();
    }

    public long takenCount() {
        return (long) taken.count();
    }

    public long returnedCount() {
        return (long) returned.count();
    }

    // ---------------------------------------------------------------- park

    @Override
    public void park(TaskRef task, Task body) {
        if (!enabled || !(task instanceof Delivery delivery)) {
            dispatcher.parkRefused(task);
            return;
        }
        if (delivery instanceof RoomDelivery fromRoom) {
            putBack(fromRoom);
            return;
        }
        Room room = roomOf(body.type());
        boolean accepted = link.execute(() -> {
            try {
                moveToRoom(delivery, body, room);
            } catch (RuntimeException e) {
                // Answered whatever happens: a park never answered would hold its task here for good.
                Log.errorf(e, "[%s] not moved to %s", delivery, room.queue);
                dispatcher.parkRefused(task);
            }
        });
        if (!accepted) {
            dispatcher.parkRefused(task);
        }
    }

    private void moveToRoom(Delivery delivery, Task body, Room room) {
        if (delivery.isStale()) {
            // The broker requeued it when its channel closed; the core drops it.
            dispatcher.parked(delivery);
            return;
        }
        if (!link.isUp()) {
            dispatcher.parkRefused(delivery);
            return;
        }
        presence.online(body.type(), link.confirms(), System.nanoTime())
                .thenComposeAsync(online -> online ? forward(delivery, room) : CompletableFuture.completedFuture(false),
                        link.executor())
                .whenComplete((moved, failure) -> {
                    if (Boolean.TRUE.equals(moved)) {
                        forwarded.increment();
                        delivery.ackMoved(room.queue).whenComplete((acked, ackFailure) -> dispatcher.parked(delivery));
                    } else {
                        if (failure != null) {
                            Log.warnf("[%s] not moved to %s, it waits here: %s", delivery, room.queue, failure);
                        }
                        dispatcher.parkRefused(delivery);
                    }
                });
    }

    /**
     * A task taken from its room that no worker here takes after all: a type of "other" that no worker here lists,
     * or its worker left before it came. Back to its room, and this replica stops consuming that room for
     * {@link #MISMATCH_BACKOFF}, so that another replica takes it instead of this one again.
     */
    private void putBack(RoomDelivery delivery) {
        Room room = rooms.get(delivery.taskClass().name());
        link.execute(() -> {
            room.backoffUntil = System.nanoTime() + MISMATCH_BACKOFF.toNanos();
            consumeAll();
            link.schedule(this::consumeAll, MISMATCH_BACKOFF);
            backToRoom(delivery, room)
                    .whenComplete((done, failure) -> dispatcher.parked(delivery));
        });
    }

    /**
     * Moves a room task as a confirmed copy, to the tail of its room ({@code routingKey} its class on
     * {@code exchange}) or back to the task queue, then acks it. Not a nack: that would count towards the room's
     * delivery limit each time, and a task bounced between replicas would die of it. If the copy is not confirmed,
     * the plain nack puts it back instead.
     */
    private CompletableFuture<Void> moveAsCopy(RoomDelivery delivery, String exchange, String routingKey, String where,
            Runnable moved) {
        if (!link.isUp() || delivery.isStale()) {
            return CompletableFuture.completedFuture(null);
        }
        return link.confirms().publish(exchange, routingKey, Copy.of(delivery), delivery.payload())
                .handleAsync((routed, failure) -> {
                    if (Boolean.TRUE.equals(routed)) {
                        moved.run();
                        return delivery.ackMoved(where);
                    }
                    return delivery.putBack("not moved to " + where + ": "
                            + (failure != null ? failure : "no such queue"));
                }, link.executor())
                .thenCompose(settled -> settled)
                .toCompletableFuture();
    }

    private CompletableFuture<Void> backToRoom(RoomDelivery delivery, Room room) {
        return moveAsCopy(delivery, exchange, room.taskClass.name(), room.queue, () -> {
        });
    }

    @Override
    public void stopTaking() {
        if (enabled) {
            // slots() is 0 from now on: every room consumer is cancelled.
            link.execute(this::consumeAll);
        }
    }

    private CompletableFuture<Boolean> forward(Delivery delivery, Room room) {
        if (!link.isUp()) {
            return CompletableFuture.completedFuture(false);
        }
        return link.confirms().publish(exchange, room.taskClass.name(), Copy.of(delivery), delivery.payload());
    }

    // ---------------------------------------------------------------- take

    @Override
    public void on(Effect.Event event) {
        if (!enabled) {
            return;
        }
        if (event instanceof Effect.Joined joined) {
            link.execute(() -> {
                locks.joined(joined.worker());
                if (present.add(joined.worker())) {
                    presenceChanged(() -> presence.joined(joined.worker().taskTypes(), channel()));
                }
                consumeAll();
            });
        } else if (event instanceof Effect.Retired retired) {
            link.execute(() -> {
                absent(retired.worker());
                consumeAll();
            });
        } else if (event instanceof Effect.Left left) {
            link.execute(() -> {
                absent(left.worker());
                locks.left(left.worker());
                consumeAll();
            });
        }
    }

    /** A worker that takes no more tasks, or is gone: other replicas no longer count on it. */
    private void absent(Worker worker) {
        if (present.remove(worker)) {
            presenceChanged(() -> presence.left(worker.taskTypes(), channel()));
        }
    }

    private void presenceChanged(RoomLink.Step work) {
        try {
            work.run();
        } catch (IOException e) {
            // The channel closed with it; the link binds everything again when it is back.
            Log.warnf("Presence binding not changed: %s", e.toString());
        }
    }

    private Channel channel() {
        return link.isUp() ? link.take() : null;
    }

    private void consumeAll() {
        if (!link.isUp()) {
            return;
        }
        long now = System.nanoTime();
        for (Room room : rooms.values()) {
            try {
                consume(room, now);
            } catch (IOException e) {
                Log.warnf("Waiting room %s not consumed: %s", room.queue, e.toString());
                return;
            }
        }
    }

    /**
     * Consumes {@code room} with a prefetch of this replica's slots for its class, so the broker brings no more
     * of its tasks than the workers here can hold: the unacked deliveries are the tasks they hold, plus at most
     * one per slot at hand while tasks from the shared queue took a slot first. No slot here: no consumer.
     */
    private void consume(Room room, long now) throws IOException {
        int slots = room.backoffUntil != NEVER && now - room.backoffUntil < 0 ? 0 : dispatcher.slots(room.taskClass);
        if (slots == room.prefetch) {
            return;
        }
        Channel channel = link.take();
        if (room.consumer != null) {
            // Cancelling leaves what it brought unacked and settleable on the channel.
            channel.basicCancel(room.consumer);
            room.consumer = null;
            room.prefetch = 0;
        }
        if (slots == 0) {
            return;
        }
        long generation = link.generation();
        channel.basicQos(slots);
        room.consumer = channel.basicConsume(room.queue, false, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                take(room, envelope, properties, body, generation);
            }

            @Override
            public void handleCancel(String tag) {
                // The broker cancelled it (the room was deleted): the link declares it again when it reconnects.
                Log.warnf("Waiting room %s cancelled its consumer: was it deleted?", room.queue);
                link.execute(() -> {
                    if (tag.equals(room.consumer)) {
                        room.consumer = null;
                        room.prefetch = 0;
                    }
                });
            }
        });
        room.prefetch = slots;
    }

    /** Called on the client's consumer thread: hands the task to the dispatcher like one from the shared queue. */
    private void take(Room room, Envelope envelope, AMQP.BasicProperties properties, byte[] body, long generation) {
        RoomDelivery delivery = new RoomDelivery(link, generation, room.taskClass, room.queue, envelope, properties,
                body, listener);
        taken.increment();
        Task task;
        try {
            task = parser.parse(body);
        } catch (InvalidTaskException e) {
            // Published to the room by hand: the rooms hold only tasks that were checked before.
            settlements.invalid(delivery, e.getMessage());
            return;
        }
        dispatcher.submit(delivery, task);
    }

    // ---------------------------------------------------------------- topology, sweep

    private void declare() throws IOException {
        Channel channel = link.take();
        channel.exchangeDeclare(exchange, "direct", true);
        for (Room room : rooms.values()) {
            // No TTL, no x-expires: a task in a room must never expire. The delivery limit bounds a task that
            // crashes every replica that takes it, like the task queue's (DeliveryLimits).
            channel.queueDeclare(room.queue, true, false, false, Map.of(
                    "x-queue-type", "quorum",
                    "x-dead-letter-exchange", deadLetterExchange,
                    "x-dead-letter-routing-key", deadLetterRoutingKey,
                    DeliveryLimits.LIMIT, DeliveryLimits.TASKS));
            channel.queueBind(room.queue, exchange, room.taskClass.name());
            room.consumer = null;
            room.prefetch = 0;
        }
        presence.declare(channel);
        long generation = link.generation();
        link.schedule(() -> sweep(generation), SWEEP);
        consumeAll();
    }

    /** Reads each room's depth, and returns tasks stranded where no eligible worker is online anywhere. */
    private void sweep(long generation) {
        if (!link.isUp() || link.generation() != generation) {
            return;
        }
        long now = System.nanoTime();
        try {
            for (Room room : rooms.values()) {
                long depth = link.take().queueDeclarePassive(room.queue).getMessageCount();
                room.depth = depth;
                if (depth == 0 || room.consumer != null) {
                    room.noWorkerSince = NEVER;
                    continue;
                }
                presence.online(room.taskClass, link.confirms(), now).whenCompleteAsync((online, failure) -> {
                    if (failure != null || link.generation() != generation) {
                        return;
                    }
                    if (online) {
                        room.noWorkerSince = NEVER;
                    } else if (room.noWorkerSince == NEVER) {
                        room.noWorkerSince = now;
                    } else if (now - room.noWorkerSince >= workerWaitNanos) {
                        returnStranded(room, depth);
                    }
                }, link.executor());
            }
        } catch (IOException e) {
            Log.warnf("Waiting rooms not read: %s", e.toString());
        }
        link.schedule(() -> sweep(generation), SWEEP);
    }

    /** Moves up to {@link #RETURN_BATCH} tasks from {@code room} back to the task queue, each confirmed first. */
    private void returnStranded(Room room, long depth) {
        List<String> moved = new ArrayList<>();
        try {
            for (long i = 0; i < Math.min(depth, RETURN_BATCH); i++) {
                GetResponse got = link.take().basicGet(room.queue, false);
                if (got == null) {
                    break;
                }
                RoomDelivery delivery = new RoomDelivery(link, link.generation(), room.taskClass, room.queue,
                        got.getEnvelope(), got.getProps(), got.getBody(), listener);
                moved.add(delivery.taskId());
                // "other" holds many types: one a worker lists by number may have its worker online after all.
                typeOnline(delivery, room).thenComposeAsync(online -> online
                        ? backToRoom(delivery, room)
                        : returnToTasks(delivery), link.executor());
            }
        } catch (IOException e) {
            Log.warnf("Stranded tasks of %s not returned: %s", room.queue, e.toString());
        }
        if (!moved.isEmpty()) {
            Log.warnf("%d task(s) in %s have had no eligible worker online anywhere for %d ms: back to %s, where"
                    + " the no-worker rule applies (in the \"other\" room, those whose own type has none)",
                    moved.size(), room.queue, workerWaitNanos / 1_000_000, tasksQueue);
        }
    }

    private CompletableFuture<Boolean> typeOnline(RoomDelivery delivery, Room room) {
        if (!room.taskClass.isOther()) {
            return CompletableFuture.completedFuture(false);
        }
        try {
            return presence.online(parser.parse(delivery.payload()).type(), link.confirms(), System.nanoTime());
        } catch (InvalidTaskException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    private CompletableFuture<Void> returnToTasks(RoomDelivery delivery) {
        return moveAsCopy(delivery, "", tasksQueue, tasksQueue, returned::increment);
    }

    private Room roomOf(int type) {
        return rooms.get(TaskClass.of(type, namedTypes).name());
    }
}
