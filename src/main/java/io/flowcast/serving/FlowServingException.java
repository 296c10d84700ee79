package io.flowcast.serving;

/** ONNX Runtime failed while serving a flow (the native error is the cause). */
public final class FlowServingException extends RuntimeException {

    public FlowServingException(String message, Throwable cause) {
        super(message, cause);
    }
}
