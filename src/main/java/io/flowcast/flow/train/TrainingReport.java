package io.flowcast.flow.train;

import java.util.List;

/**
 * What happened during training.
 *
 * @param objective          the objective's name
 * @param epochs             per-epoch statistics
 * @param bestEpoch          the epoch whose parameters were kept (1-based)
 * @param bestValidationLoss its validation loss (NaN without validation: then the last epoch is kept)
 * @param stopReason         why training ended
 * @param steps              optimiser steps taken
 * @param trainRecords       records in the training split
 * @param validationRecords  records in the validation split
 * @param droppedRows        input rows dropped for non-finite values
 * @param wallSeconds        total wall time
 */
public record TrainingReport(String objective, List<EpochStats> epochs, int bestEpoch, double bestValidationLoss,
        String stopReason, long steps, int trainRecords, int validationRecords, int droppedRows, double wallSeconds) {

    public TrainingReport {
        epochs = List.copyOf(epochs);
    }

    public EpochStats best() {
        return epochs.get(bestEpoch - 1);
    }
}
