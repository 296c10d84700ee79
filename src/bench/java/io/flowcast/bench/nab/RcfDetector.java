package io.flowcast.bench.nab;

import com.amazon.randomcutforest.config.ForestMode;
import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;

/**
 * Random Cut Forest (AWS's Java library, {@code ThresholdedRandomCutForest}) as a NAB detector, in two readings:
 * <ul>
 *   <li>{@link Output#SCORE}: NAB's own RCF entry (Kinesis {@code RANDOM_CUT_FOREST}: 100 trees, sample 256,
 *       time decay 1/100000, raw values) mapped into [0, 1] as NAB did: RCF score / log2(sample size), clipped;</li>
 *   <li>{@link Output#GRADE}: the library's thresholded anomaly grade in [0, 1], with its default normalisation of
 *       the input, which is how the product layer of RCF is meant to be used.</li>
 * </ul>
 * Shingling is internal: the forest sees the last {@code shingleSize} values as one point.
 */
public final class RcfDetector implements StreamingDetector {

    public enum Output { SCORE, GRADE }

    /** Forest settings; {@code timeDecay} is the library's lambda (NAB's "timeDecay 100000" is 1e-5). */
    public record Config(int trees, int sampleSize, int shingleSize, double timeDecay, Output output, long seed) {

        /** NAB's published RCF parameters with another shingle size. */
        public static Config nab(int shingleSize, Output output) {
            return new Config(100, 256, shingleSize, 1e-5, output, 42L);
        }
    }

    private final ThresholdedRandomCutForest forest;
    private final Output output;
    private final double scoreScale;
    private final double[] point = new double[1];

    public RcfDetector(Config config) {
        ThresholdedRandomCutForest.Builder<?> builder = ThresholdedRandomCutForest.builder()
                .dimensions(config.shingleSize())
                .shingleSize(config.shingleSize())
                .internalShinglingEnabled(true)
                .numberOfTrees(config.trees())
                .sampleSize(config.sampleSize())
                .timeDecay(config.timeDecay())
                .forestMode(ForestMode.STANDARD)
                .randomSeed(config.seed());
        if (config.output() == Output.SCORE) {
            builder.transformMethod(TransformMethod.NONE);
        }
        this.forest = builder.build();
        this.output = config.output();
        this.scoreScale = Math.log(config.sampleSize()) / Math.log(2);
    }

    @Override
    public double score(long timestampMillis, double value) {
        point[0] = value;
        AnomalyDescriptor descriptor = forest.process(point, timestampMillis);
        double score = output == Output.SCORE ? descriptor.getRCFScore() / scoreScale : descriptor.getAnomalyGrade();
        return Double.isNaN(score) ? 0.0 : Math.min(1.0, Math.max(0.0, score));
    }
}
