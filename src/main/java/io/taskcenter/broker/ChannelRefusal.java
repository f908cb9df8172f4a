package io.taskcenter.broker;

import java.io.IOException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.ShutdownSignalException;

/** The broker's answer to a refused call that closes only its channel, such as 404, 405 or 406. */
public final class ChannelRefusal {

    private ChannelRefusal() {
    }

    /** Whether the broker closed the call's channel (not the connection) with {@code replyCode}. */
    public static boolean is(IOException e, int replyCode) {
        return e.getCause() instanceof ShutdownSignalException signal && !signal.isHardError()
                && signal.getReason() instanceof AMQP.Channel.Close close && close.getReplyCode() == replyCode;
    }
}
