package io.flowcast.retrain;

import java.util.Optional;

/**
 * Decides whether a candidate is served: it must pass the export contract (ONNX agrees with the trained model, no
 * non-finite density) and must not be worse than the live model on the same validation records beyond a tolerance,
 * neither in NLL nor in the calibration of its tail probabilities. Without a live model, only the contract and an
 * absolute calibration bound apply.
 *
 * @param nllTolerance         nats per record the candidate may be worse than the live model
 * @param calibrationTolerance how much larger its calibration error may be than the live model's
 * @param maxCalibrationError  the calibration error no promoted model may exceed
 * @param parityTolerance      the largest |log p_onnx - log p_trained| allowed (nats)
 */
public record PromotionGate(double nllTolerance, double calibrationTolerance, double maxCalibrationError,
        double parityTolerance) {

    public static PromotionGate defaults() {
        return new PromotionGate(0.02, 0.05, 0.15, 1e-3);
    }

    public GateDecision decide(Evaluation candidate, Optional<Evaluation> live, double parityError) {
        if (!candidate.finite()) {
            return GateDecision.reject("the candidate gives non-finite log-densities");
        }
        if (!(parityError <= parityTolerance)) {
            return GateDecision.reject(String.format("ONNX and the trained model disagree by %.2e nats (> %.0e)",
                    parityError, parityTolerance));
        }
        if (candidate.calibrationError() > maxCalibrationError) {
            return GateDecision.reject(String.format("calibration error %.3f exceeds %.3f",
                    candidate.calibrationError(), maxCalibrationError));
        }
        if (live.isEmpty()) {
            return GateDecision.promote(String.format("no live model; NLL %.4f, calibration error %.3f",
                    candidate.meanNll(), candidate.calibrationError()));
        }
        Evaluation current = live.get();
        if (candidate.meanNll() > current.meanNll() + nllTolerance) {
            return GateDecision.reject(String.format("NLL %.4f is worse than the live model's %.4f beyond %.3f",
                    candidate.meanNll(), current.meanNll(), nllTolerance));
        }
        if (candidate.calibrationError() > current.calibrationError() + calibrationTolerance) {
            return GateDecision.reject(String.format("calibration error %.3f is worse than the live model's %.3f",
                    candidate.calibrationError(), current.calibrationError()));
        }
        return GateDecision.promote(String.format("NLL %.4f vs live %.4f, calibration error %.3f vs %.3f",
                candidate.meanNll(), current.meanNll(), candidate.calibrationError(), current.calibrationError()));
    }
}
