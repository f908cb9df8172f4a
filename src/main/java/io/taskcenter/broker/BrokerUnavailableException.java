package io.taskcenter.broker;

/**
 * RabbitMQ could not be reached, or did not confirm in time: the operation did not happen, or may not have.
 */
public class BrokerUnavailableException extends Exception {

    public BrokerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
