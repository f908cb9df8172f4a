package io.taskcenter.api;

/**
 * A request parameter out of range; answered with 400 naming the parameter.
 */
class BadRequestException extends RuntimeException {

    private final String field;

    BadRequestException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
