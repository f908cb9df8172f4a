package io.taskcenter.rooms;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.quarkus.logging.Log;
import io.taskcenter.broker.ChannelRefusal;
import io.taskcenter.broker.RoomNames;
import io.taskcenter.dispatch.Closing;
import io.taskcenter.dispatch.Worker;

/**
 * One connection per worker id over all replicas. The replica a worker id is online on owns an exclusive queue
 * named after it ({@link RoomNames#workerLock}); a replica where the same id connects again finds the queue locked,
 * sends the owner a message through it asking it to let go, and takes the lock once the owner has closed its
 * connection (as replaced) and deleted the queue. Within one replica the dispatch core replaces connections itself.
 * A replica that dies loses its locks with its connection. Called on the rooms' thread only.
 */
final class WorkerLocks {

    /** How often, and how long, a replica tries to take a lock the owner was asked to give up. */
    static final Duration RETRY = Duration.ofMillis(100);
    static final Duration GIVE_UP = Duration.ofSeconds(10);
    private static final String LET_GO = "let-go";

    private final RoomLink link;
    private final RoomNames names;
    /** The worker here that holds each id's lock, or waits for it. */
    private final Map<String, Worker> holders = new HashMap<>();
    /** The consumer tag listening on each held lock. */
    private final Map<String, String> listening = new HashMap<>();

    WorkerLocks(RoomLink link, RoomNames names) {
        this.link = link;
        this.names = names;
    }

    /** A worker came online here: take its id's lock, asking another replica to let go if it has it. */
    void joined(Worker worker) {
        holders.put(worker.id(), worker);
        if (link.isUp() && !listening.containsKey(worker.id())) {
            acquire(worker, System.nanoTime() + GIVE_UP.toNanos(), true);
        }
    }

    private enum Attempt {
        TAKEN,
        LOCKED,
        FAILED
    }

    /** A worker left: its lock goes, unless a newer connection with its id holds it now. */
    void left(Worker worker) {
        if (holders.remove(worker.id(), worker)) {
            release(worker.id());
        }
    }

    /**
     * The link is back: the locks went with the old connection; takes them again. The broker may not have noticed
     * the old connection's end yet (a half-open one lasts up to two heartbeats), so a lock still held is waited
     * for, and no worker here is closed for it.
     */
    void relock() {
        listening.clear();
        for (Worker worker : List.copyOf(holders.values())) {
            acquire(worker, Long.MAX_VALUE, false);
        }
    }

    /** The link is down: every lock went with its connection. */
    void lost() {
        listening.clear();
    }

    private void acquire(Worker worker, long deadline, boolean askOwner) {
        if (holders.get(worker.id()) != worker || !link.isUp()) {
            return;
        }
        String queue = names.workerLock(worker.id());
        Attempt attempt = declareExclusive(queue);
        if (attempt == Attempt.TAKEN) {
            listen(worker.id(), queue);
            return;
        }
        if (attempt == Attempt.LOCKED && askOwner) {
            Log.infof("[%s] online on another replica too: asking it to let go", worker);
            link.confirms().publish("", queue, new AMQP.BasicProperties.Builder().type(LET_GO).build(), new byte[0]);
        }
        if (attempt == Attempt.LOCKED && deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
            Log.warnf("[%s] the replica holding its id did not let go within %d s: closing this connection instead",
                    worker, GIVE_UP.toSeconds());
            holders.remove(worker.id(), worker);
            worker.link().close(Closing.REPLACED);
            return;
        }
        link.schedule(() -> acquire(worker, deadline, false), RETRY);
    }

    /** Declares the lock on a channel of its own: a refusal (405, locked) closes that channel, and only that one. */
    private Attempt declareExclusive(String queue) {
        try {
            Channel channel = link.openChannel();
            try {
                channel.queueDeclare(queue, false, true, true, Map.of());
                return Attempt.TAKEN;
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        } catch (IOException e) {
            if (ChannelRefusal.is(e, AMQP.RESOURCE_LOCKED)) {
                return Attempt.LOCKED;
            }
            // Not a refusal: tried again, and the worker is not closed for it.
            Log.warnf("Worker lock %s not declared: %s", queue, e.toString());
            return Attempt.FAILED;
        } catch (TimeoutException | RuntimeException e) {
            Log.warnf("Worker lock %s not declared: %s", queue, e.toString());
            return Attempt.FAILED;
        }
    }

    private void listen(String workerId, String queue) {
        try {
            Channel channel = link.take();
            String tag = channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) {
                    if (LET_GO.equals(properties.getType())) {
                        link.execute(() -> letGo(workerId));
                    }
                }
            });
            listening.put(workerId, tag);
        } catch (IOException e) {
            Log.warnf("Worker lock %s not listened on: %s", queue, e.toString());
        }
    }

    /** Another replica has a newer connection with this id: close ours and give up the lock. */
    private void letGo(String workerId) {
        Worker holder = holders.remove(workerId);
        if (holder != null) {
            Log.infof("[%s] replaced by a connection with the same id on another replica", holder);
            holder.link().close(Closing.REPLACED);
        }
        release(workerId);
    }

    private void release(String workerId) {
        String tag = listening.remove(workerId);
        if (tag == null || !link.isUp()) {
            return;
        }
        try {
            link.take().queueDelete(names.workerLock(workerId));
        } catch (IOException e) {
            Log.debugf("Worker lock of %s not deleted: %s", workerId, e);
        }
    }
}
