package io.taskcenter.broker;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One message in the dead-letter queue, as an operator sees it.
 *
 * @param messageId the task id, if the message has one
 * @param body the message body as text
 * @param reason why it died: the service's reason ({@code no-worker}, {@code failed}, {@code attempts-exhausted},
 *        {@code invalid-task}), or else RabbitMQ's ({@code expired}, {@code delivery_limit}, ...)
 * @param error what went wrong, in words: the worker's error, or the service's; null for {@code no-worker}
 * @param attempt the attempt that ended it, when the service dead-lettered it itself
 * @param workerId the worker that held it last, if any
 * @param brokerReason RabbitMQ's own reason ({@code rejected}, ...), when RabbitMQ dead-lettered it
 * @param queue the queue it was dead-lettered from
 * @param routingKey the routing key it was first published with
 * @param deadLetteredAt when it was first dead-lettered
 * @param deaths how many times it has been dead-lettered from that queue
 */
// Serialized by Jackson inside DeadLetterPage; registered so a native image keeps its accessors.
@RegisterForReflection
public record DeadLetter(String messageId, String body, String reason, String error, Integer attempt, String workerId,
        String brokerReason, String queue, String routingKey, Instant deadLetteredAt, long deaths) {
}
