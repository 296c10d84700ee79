package io.flowcast.flow;

/**
 * The result of a flow's forward pass.
 *
 * @param z      codes [B, d] in the base distribution's space
 * @param logDet log|det dz/dx| per row [B], including the feature scaler's -sum(log std)
 * @param <T>    the backend's tensor handle
 */
public record FlowOutput<T>(T z, T logDet) {
}
