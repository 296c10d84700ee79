package io.flowcast.serving;

import io.flowcast.anomaly.HeldOutCalibration;
import io.flowcast.flow.ClockCoverage;
import io.flowcast.flow.ContextSpec;
import io.flowcast.flow.GaussianDensity;

/**
 * The warm-up model of a stream: a {@link GaussianDensity} fitted on the first {@code fitRecords} of a buffer and
 * calibrated on the later {@code holdoutRecords} (a split in time). Its context keeps only the clock columns the fit
 * records cover ({@link ClockCoverage}): a warm-up sees seconds to minutes of a stream, and hour-of-day columns that
 * barely moved there are extrapolated wildly once the clock moves on.
 */
final class WarmupFit {

    private WarmupFit() {
    }

    /** Fits version 1 of {@code <stream>.linear-gaussian}; throws when the data defeats the fit. */
    static StreamModel fit(StreamProfile profile, RecordBuffer buffer, int fitRecords, int holdoutRecords,
            double ridge, ClockCoverage clock) {
        int d = buffer.dimension;
        ContextSpec built = profile.context();
        float[] fitContexts = buffer.context(0, fitRecords);
        ContextSpec chosen = clock.choose(built, fitContexts, fitRecords, d);
        float[] fitC = built.narrow(fitContexts, fitRecords, d, chosen);
        float[] holdoutC = built.narrow(buffer.context(fitRecords, holdoutRecords), holdoutRecords, d, chosen);
        GaussianDensity density = GaussianDensity.fit(buffer.x(0, fitRecords), fitC, fitRecords, d,
                chosen.dimension(d), ridge);
        HeldOutCalibration calibration = RegistryModelCatalog.calibrate(density,
                buffer.x(fitRecords, holdoutRecords), holdoutC, holdoutRecords);
        return new StreamModel(profile.name() + ".linear-gaussian", 1, profile.features(), chosen, density,
                calibration);
    }
}
