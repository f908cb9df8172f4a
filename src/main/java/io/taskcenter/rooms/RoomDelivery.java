package io.taskcenter.rooms;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BasicProperties;
import com.rabbitmq.client.Envelope;

import io.taskcenter.dispatch.TaskClass;
import io.taskcenter.messaging.Delivery;
import io.taskcenter.messaging.SettlementListener;

/**
 * A task taken from a waiting room on the rooms' own channel ({@link RoomLink}), by its consumer (or a get, to move it back
 * to the task queue).
 * It settles like any other delivery; a requeue or a nack returns it to its room, and if the rooms' channel closes
 * first, the broker returns it there itself, and it goes stale.
 */
final class RoomDelivery extends Delivery {

    private final RoomLink link;
    private final long generation;
    private final TaskClass taskClass;
    private final String room;
    private final Envelope envelope;
    private final BasicProperties properties;
    private final byte[] body;
    private Map<String, Object> headers;

    /** @param generation the link's generation when the message was taken: its delivery tag is of that channel */
    RoomDelivery(RoomLink link, long generation, TaskClass taskClass, String room, Envelope envelope,
            AMQP.BasicProperties properties, byte[] body, SettlementListener listener) {
        super(listener);
        this.link = link;
        this.generation = generation;
        this.taskClass = taskClass;
        this.room = room;
        this.envelope = envelope;
        this.properties = properties;
        this.body = body;
    }

    TaskClass taskClass() {
        return taskClass;
    }

    String room() {
        return room;
    }

    @Override
    protected BasicProperties properties() {
        return properties;
    }

    /** The message's headers without the rooms' own publish sequence number. */
    @Override
    public Map<String, Object> headers() {
        Map<String, Object> own = headers;
        if (own == null) {
            own = properties.getHeaders() == null ? new HashMap<>() : new HashMap<>(properties.getHeaders());
            own.remove(Confirms.SEQUENCE);
            headers = own;
        }
        return own;
    }

    @Override
    protected Envelope envelope() {
        return envelope;
    }

    @Override
    protected byte[] body() {
        return body;
    }

    @Override
    public boolean fromRoom() {
        return true;
    }

    @Override
    public boolean isStale() {
        return link.generation() != generation;
    }

    @Override
    protected CompletionStage<Void> sendAck() {
        return onChannel(() -> link.take().basicAck(envelope.getDeliveryTag(), false));
    }

    @Override
    protected CompletionStage<Void> sendNack(String why, boolean requeue) {
        return onChannel(() -> link.take().basicNack(envelope.getDeliveryTag(), false, requeue));
    }

    /** Settles on the rooms' thread, on the channel it came from; on a newer one its tag means another message. */
    private CompletionStage<Void> onChannel(RoomLink.Step settle) {
        return link.call(() -> {
            if (!isStale()) {
                settle.run();
            }
            return null;
        });
    }

    @Override
    protected String origin() {
        return "waiting room " + room + " (channel generation " + generation + ")";
    }
}
