package io.flowcast.flow.train;

/**
 * One epoch of training.
 *
 * @param epoch           1-based
 * @param trainLoss       mean objective loss per training record over the epoch (nats, as the weights moved)
 * @param validationLoss  mean objective loss per validation record after the epoch (NaN without validation)
 * @param learningRate    the rate at the epoch's last step
 * @param gradientNorm    mean global gradient norm before clipping
 * @param skippedSteps    steps skipped because the loss or a gradient was not finite
 * @param seconds         wall time of the epoch
 * @param steps           optimiser steps taken in the epoch (skipped ones included)
 * @param records         training records the epoch's steps saw
 */
public record EpochStats(int epoch, double trainLoss, double validationLoss, double learningRate,
        double gradientNorm, int skippedSteps, double seconds, int steps, long records) {
}
