package io.taskcenter.task;


/**
 * A task as producers publish it: {@code {"TaskName":"Demo","TaskType":1}}.
 *
 * @param name what the worker is asked to do; never blank
 * @param type selects which workers may take the task
 * @param payload the whole message body, a JSON object, as text (without a byte order mark), passed on untouched
 *        to v1 workers
 */
public record Task(String name, int type, String payload) {
}
