package io.taskcenter.api;

/**
 * The answer to {@code POST /api/tasks}: the task is queued in RabbitMQ.
 *
 * @param taskId the id workers will see (the message's {@code message_id})
 * @param taskName the task's name
 * @param taskType the task's type
 */
public record TaskAccepted(String taskId, String taskName, int taskType) {
}
