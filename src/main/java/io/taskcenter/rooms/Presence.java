package io.taskcenter.rooms;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;

import io.taskcenter.dispatch.TaskClass;
import io.taskcenter.task.TaskTypes;

/**
 * Which task types have an eligible worker online on some replica, kept by RabbitMQ itself: each replica owns an
 * exclusive, auto-delete queue that holds nothing ({@code x-max-length: 0}), bound to the topic exchange
 * {@code <tasks>.presence} with one key per kind of task its online workers take. A mandatory publish with that
 * key comes back ({@code basic.return}) when no replica has such a worker. A replica that dies loses its queue,
 * and so its bindings, with its connection.
 * <p>
 * Keys: a task of a named type {@code T} is {@code T.T}, of any other type {@code other.T}; a worker binds
 * {@code T.T} or {@code other.T} for each type it lists, {@code other.*} for "other" and {@code #} for "any".
 * Answers are kept for {@code taskcenter.rooms.presence-cache}. Called on the rooms' thread only.
 */
final class Presence {

    private static final String CLASS_KEY_OTHER = TaskClass.OTHER + "." + TaskClass.OTHER;

    private final String exchange;
    private final String queue;
    private final Set<Integer> named;
    private final long cacheNanos;
    private final Map<String, Integer> bound = new HashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** Moves on with every change here, so that an answer asked for before a change is not kept after it. */
    private volatile long changes;

    private record Answer(boolean online, long at) {
    }

    Presence(String exchange, Set<Integer> named, long cacheNanos) {
        this.exchange = exchange;
        this.queue = exchange + "." + UUID.randomUUID();
        this.named = Set.copyOf(named);
        this.cacheNanos = cacheNanos;
    }

    String exchange() {
        return exchange;
    }

    /** Declares the exchange and this replica's queue, and binds what its workers take now. */
    void declare(Channel channel) throws IOException {
        channel.exchangeDeclare(exchange, "topic", true);
        channel.queueDeclare(queue, false, true, true, Map.of("x-max-length", 0));
        for (String key : bound.keySet()) {
            channel.queueBind(queue, exchange, key);
        }
        forget();
    }

    /** A worker taking {@code types} came online here; binds its keys on {@code channel} if it is up. */
    void joined(TaskTypes types, Channel channel) throws IOException {
        for (String key : keys(types)) {
            if (bound.merge(key, 1, Integer::sum) == 1 && channel != null) {
                channel.queueBind(queue, exchange, key);
            }
        }
        forget();
    }

    /** A worker taking {@code types} left; unbinds the keys no other worker here needs. */
    void left(TaskTypes types, Channel channel) throws IOException {
        for (String key : keys(types)) {
            Integer count = bound.get(key);
            if (count == null) {
                continue;
            }
            if (count > 1) {
                bound.put(key, count - 1);
            } else {
                bound.remove(key);
                if (channel != null) {
                    channel.queueUnbind(queue, exchange, key);
                }
            }
        }
        forget();
    }

    /** Whether some replica has an online worker for tasks of {@code type}. */
    CompletableFuture<Boolean> online(int type, Confirms confirms, long now) {
        return ask(named.contains(type) ? type + "." + type : TaskClass.OTHER + "." + type, confirms, now);
    }

    /** Whether some replica has an online worker for the class as a whole: its named type, or "other". */
    CompletableFuture<Boolean> online(TaskClass taskClass, Confirms confirms, long now) {
        return ask(taskClass.isOther() ? CLASS_KEY_OTHER : taskClass.name() + "." + taskClass.name(), confirms, now);
    }

    private CompletableFuture<Boolean> ask(String key, Confirms confirms, long now) {
        Answer known = answers.get(key);
        if (known != null && now - known.at < cacheNanos) {
            return CompletableFuture.completedFuture(known.online);
        }
        long asked = changes;
        AMQP.BasicProperties probe = new AMQP.BasicProperties.Builder().deliveryMode(1).build();
        return confirms.publish(exchange, key, probe, new byte[0]).thenApply(routed -> {
            if (changes == asked) {
                answers.put(key, new Answer(routed, now));
            }
            return routed;
        });
    }

    private void forget() {
        changes++;
        answers.clear();
    }

    Set<String> keys(TaskTypes types) {
        Set<String> keys = new LinkedHashSet<>();
        if (types.isAny()) {
            keys.add("#");
        } else if (types.isOther()) {
            keys.add(TaskClass.OTHER + ".*");
        } else {
            for (int type : types.listed()) {
                keys.add(named.contains(type) ? type + "." + type : TaskClass.OTHER + "." + type);
            }
        }
        return keys;
    }
}
