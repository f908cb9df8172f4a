package io.taskcenter.broker;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One message in the dead-letter queue, as an operator sees it.
 *
 * @param messageId the task id, if the message has one
 * @param body the message body as text
 * @param reason why RabbitMQ dead-lettered it: {@code rejected} by the service, {@code expired} or {@code delivery_limit}
 * @param queue the queue it was dead-lettered from
 * @param routingKey the routing key it was first published with
 * @param deadLetteredAt when it was first dead-lettered
 * @param deaths how many times it has been dead-lettered from that queue
 */
// Serialized by Jackson inside DeadLetterPage; registered so a native image keeps its accessors.
@RegisterForReflection
public record DeadLetter(String messageId, String body, String reason, String queue, String routingKey,
        Instant deadLetteredAt, long deaths) {
}
