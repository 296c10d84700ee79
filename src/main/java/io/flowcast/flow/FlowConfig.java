package io.flowcast.flow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * The shape of a conditional flow: everything needed to rebuild its computation, apart from the parameter values.
 *
 * @param dimension        d, the number of modelled features (1..32)
 * @param contextDimension k, the number of context features (0..128)
 * @param couplings        number of coupling layers (1..16)
 * @param hiddenWidth      width of each hidden layer of a conditioner MLP (1..1024)
 * @param hiddenLayers     number of hidden layers of a conditioner MLP (1..8)
 * @param bins             spline bins K (2..64), ignored by affine couplings
 * @param tailBound        B: splines act on [-B, B] in standardised units, identity outside
 * @param base             base distribution
 * @param coupling         coupling transform
 * @param mixing           how dimensions are mixed between couplings
 * @param featureNames     d names of the modelled features
 * @param contextNames     k names of the context features
 * @param seed             drives parameter initialisation and the fixed permutations
 * @param minBinWidth      lower bound on a bin's width as a fraction of 2B (keeps the spline invertible in float32)
 * @param minBinHeight     the same for heights
 * @param minDerivative    lower bound on the spline's knot derivatives
 */
public record FlowConfig(
        int dimension,
        int contextDimension,
        int couplings,
        int hiddenWidth,
        int hiddenLayers,
        int bins,
        float tailBound,
        BaseKind base,
        CouplingKind coupling,
        MixingKind mixing,
        List<String> featureNames,
        List<String> contextNames,
        long seed,
        float minBinWidth,
        float minBinHeight,
        float minDerivative) {

    public static final int MAX_DIMENSION = 32;
    public static final int MAX_CONTEXT_DIMENSION = 128;

    public FlowConfig {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(coupling, "coupling");
        Objects.requireNonNull(mixing, "mixing");
        require(dimension >= 1 && dimension <= MAX_DIMENSION, "dimension must be in 1.." + MAX_DIMENSION + ": " + dimension);
        require(contextDimension >= 0 && contextDimension <= MAX_CONTEXT_DIMENSION,
                "contextDimension must be in 0.." + MAX_CONTEXT_DIMENSION + ": " + contextDimension);
        require(couplings >= 1 && couplings <= 16, "couplings must be in 1..16: " + couplings);
        require(hiddenWidth >= 1 && hiddenWidth <= 1024, "hiddenWidth must be in 1..1024: " + hiddenWidth);
        require(hiddenLayers >= 1 && hiddenLayers <= 8, "hiddenLayers must be in 1..8: " + hiddenLayers);
        require(bins >= 2 && bins <= 64, "bins must be in 2..64: " + bins);
        require(tailBound > 0 && tailBound <= 100 && Float.isFinite(tailBound), "tailBound must be in (0, 100]: " + tailBound);
        require(minBinWidth > 0 && minBinWidth * bins < 1, "minBinWidth * bins must be in (0, 1): " + minBinWidth);
        require(minBinHeight > 0 && minBinHeight * bins < 1, "minBinHeight * bins must be in (0, 1): " + minBinHeight);
        require(minDerivative > 0 && minDerivative < 1, "minDerivative must be in (0, 1): " + minDerivative);
        featureNames = checkedNames(featureNames, dimension, "x");
        contextNames = checkedNames(contextNames, contextDimension, "c");
    }

    /** Sensible defaults: 4 spline couplings of 8 bins on [-5, 5], conditioners 2 x 64, Gaussian base. */
    public static FlowConfig defaults(int dimension, int contextDimension) {
        return builder(dimension, contextDimension).build();
    }

    public static Builder builder(int dimension, int contextDimension) {
        return new Builder(dimension, contextDimension);
    }

    public Builder toBuilder() {
        return new Builder(dimension, contextDimension)
                .couplings(couplings).hiddenWidth(hiddenWidth).hiddenLayers(hiddenLayers).bins(bins)
                .tailBound(tailBound).base(base).coupling(coupling).mixing(mixing)
                .featureNames(featureNames).contextNames(contextNames).seed(seed)
                .minBinWidth(minBinWidth).minBinHeight(minBinHeight).minDerivative(minDerivative);
    }

    /** Dimensions left untouched by a coupling (they feed its conditioner): floor(d / 2). */
    public int identityDimension() {
        return dimension / 2;
    }

    /** Dimensions a coupling transforms: d - floor(d / 2). */
    public int transformedDimension() {
        return dimension - identityDimension();
    }

    private static List<String> checkedNames(List<String> names, int count, String prefix) {
        if (names == null || names.isEmpty()) {
            List<String> generated = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                generated.add(prefix + i);
            }
            return List.copyOf(generated);
        }
        require(names.size() == count, "expected " + count + " " + prefix + " names, got " + names.size());
        HashSet<String> seen = new HashSet<>();
        for (String name : names) {
            require(name != null && !name.isBlank(), "feature names must not be blank");
            require(seen.add(name), "duplicate feature name: " + name);
        }
        return List.copyOf(names);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Builds a validated {@link FlowConfig}; every setting starts at its default. */
    public static final class Builder {
        private final int dimension;
        private final int contextDimension;
        private int couplings = 4;
        private int hiddenWidth = 64;
        private int hiddenLayers = 2;
        private int bins = 8;
        private float tailBound = 5f;
        private BaseKind base = BaseKind.GAUSSIAN;
        private CouplingKind coupling = CouplingKind.SPLINE;
        private MixingKind mixing = MixingKind.PERMUTATION;
        private List<String> featureNames = List.of();
        private List<String> contextNames = List.of();
        private long seed = 42L;
        private float minBinWidth = 1e-3f;
        private float minBinHeight = 1e-3f;
        private float minDerivative = 1e-3f;

        private Builder(int dimension, int contextDimension) {
            this.dimension = dimension;
            this.contextDimension = contextDimension;
        }

        public Builder couplings(int value) { this.couplings = value; return this; }

        public Builder hiddenWidth(int value) { this.hiddenWidth = value; return this; }

        public Builder hiddenLayers(int value) { this.hiddenLayers = value; return this; }

        public Builder bins(int value) { this.bins = value; return this; }

        public Builder tailBound(float value) { this.tailBound = value; return this; }

        public Builder base(BaseKind value) { this.base = value; return this; }

        public Builder coupling(CouplingKind value) { this.coupling = value; return this; }

        public Builder mixing(MixingKind value) { this.mixing = value; return this; }

        public Builder featureNames(List<String> value) { this.featureNames = value; return this; }

        public Builder contextNames(List<String> value) { this.contextNames = value; return this; }

        public Builder seed(long value) { this.seed = value; return this; }

        public Builder minBinWidth(float value) { this.minBinWidth = value; return this; }

        public Builder minBinHeight(float value) { this.minBinHeight = value; return this; }

        public Builder minDerivative(float value) { this.minDerivative = value; return this; }

        public FlowConfig build() {
            return new FlowConfig(dimension, contextDimension, couplings, hiddenWidth, hiddenLayers, bins, tailBound,
                    base, coupling, mixing, featureNames, contextNames, seed, minBinWidth, minBinHeight, minDerivative);
        }
    }
}
