package io.flowcast.registry;

/**
 * Which version of a model serves. One record per model name on the compacted topic: the newest wins, so a
 * rollback is one more record naming an older version.
 *
 * @param name        the model's name
 * @param version     the version that serves from now on
 * @param activatedAt epoch ms
 * @param reason      why (promoted by the retrainer, first model, rollback by an operator, ...)
 */
public record Activation(String name, int version, long activatedAt, String reason) {
}
