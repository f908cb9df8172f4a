package io.taskcenter.messaging;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.NoOpMetricsCollector;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;

/**
 * Which consumers of the tasks channel are alive, by consumer tag, as the RabbitMQ client itself reports them:
 * a tag is live from the broker's consume-ok until its channel or connection closes.
 * <p>
 * A delivery may only be settled while its consumer is live. When the connection drops, the broker requeues
 * every unacked delivery and the connector consumes again on a new channel, where delivery tags start over: an
 * ack with an old tag would fail the new channel, or ack a different message. The connector offers no reconnect
 * callback, so this hooks the client's metrics collector, which sees every consume and every close, before any
 * delivery of the new consumer arrives.
 */
@Singleton
public class LiveConsumers extends NoOpMetricsCollector implements ClientCustomizer<RabbitMQOptions> {

    private final Map<Channel, Set<String>> tagsByChannel = new ConcurrentHashMap<>();
    private final Set<String> live = ConcurrentHashMap.newKeySet();
    private volatile int heartbeatSeconds;

    @Override
    public RabbitMQOptions customize(String channel, Config channelConfig, RabbitMQOptions options) {
        return TaskConsumer.TASKS_CHANNEL.equals(channel) ? options.setMetricsCollector(this) : options;
    }

    /** Whether deliveries of the consumer {@code consumerTag} can still be settled. */
    public boolean isLive(String consumerTag) {
        return live.contains(consumerTag);
    }

    /**
     * The heartbeat the consumer's connection agreed with the broker, in seconds (0 before the first connection):
     * a broker, or a network path, that goes silent for about twice this long closes the connection, and the
     * broker gives its tasks to other consumers.
     */
    public int heartbeatSeconds() {
        return heartbeatSeconds;
    }

    @Override
    public void newChannel(Channel channel) {
        heartbeatSeconds = channel.getConnection().getHeartbeat();
        // The client reports no closes to a collector; a collector has to listen for them itself.
        channel.addShutdownListener(closed -> channelClosed(channel));
    }

    @Override
    public void basicConsume(Channel channel, String consumerTag, boolean autoAck) {
        tagsByChannel.computeIfAbsent(channel, key -> ConcurrentHashMap.newKeySet()).add(consumerTag);
        live.add(consumerTag);
    }

    @Override
    public void basicCancel(Channel channel, String consumerTag) {
        live.remove(consumerTag);
        Set<String> tags = tagsByChannel.get(channel);
        if (tags != null) {
            tags.remove(consumerTag);
        }
    }

    /** Called for every close of the channel, also when its whole connection is lost. */
    private void channelClosed(Channel channel) {
        Set<String> tags = tagsByChannel.remove(channel);
        if (tags != null) {
            live.removeAll(tags);
        }
    }
}
