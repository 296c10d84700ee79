package io.flowcast.flow.train;

import java.util.List;
import java.util.Map;

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
 * @param dependence         the fitted dependence (kind "iid" for the i.i.d. objective) and its parameters
 *                           (rho, tau_seconds, a), as stored in the model's manifest
 * @param earlyStoppingRecords validation records scored after each epoch (a bounded subset of the validation split,
 *                           see {@link TrainerConfig#maxValidationRecords()})
 */
public record TrainingReport(String objective, List<EpochStats> epochs, int bestEpoch, double bestValidationLoss,
        String stopReason, long steps, int trainRecords, int validationRecords, int droppedRows, double wallSeconds,
        String dependenceKind, Map<String, Double> dependence, int earlyStoppingRecords) {

    public TrainingReport {
        epochs = List.copyOf(epochs);
        dependenceKind = dependenceKind == null ? "iid" : dependenceKind;
        dependence = dependence == null ? Map.of() : Map.copyOf(dependence);
    }

    /** A report whose early stopping scored the whole validation split. */
    public TrainingReport(String objective, List<EpochStats> epochs, int bestEpoch, double bestValidationLoss,
            String stopReason, long steps, int trainRecords, int validationRecords, int droppedRows,
            double wallSeconds, String dependenceKind, Map<String, Double> dependence) {
        this(objective, epochs, bestEpoch, bestValidationLoss, stopReason, steps, trainRecords, validationRecords,
                droppedRows, wallSeconds, dependenceKind, dependence, validationRecords);
    }

    /** A report of an i.i.d. training (no dependence parameters). */
    public TrainingReport(String objective, List<EpochStats> epochs, int bestEpoch, double bestValidationLoss,
            String stopReason, long steps, int trainRecords, int validationRecords, int droppedRows,
            double wallSeconds) {
        this(objective, epochs, bestEpoch, bestValidationLoss, stopReason, steps, trainRecords, validationRecords,
                droppedRows, wallSeconds, "iid", Map.of());
    }

    /** Mean training records per epoch (what an epoch's budget let it see). */
    public double meanRecordsPerEpoch() {
        return epochs.stream().mapToLong(EpochStats::records).average().orElse(0);
    }

    public EpochStats best() {
        return epochs.get(bestEpoch - 1);
    }
}
