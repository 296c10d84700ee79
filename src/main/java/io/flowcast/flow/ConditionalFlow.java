package io.flowcast.flow;

import io.flowcast.flow.math.Lgamma;
import io.flowcast.flow.math.TensorOps;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A conditional normalizing flow x -> z given context c, written once against {@link TensorOps} so that DJL
 * (training) and ONNX (serving) evaluate the same math.
 *
 * <p>Forward pass: standardise x and c with the model's own scaler (non-trainable parameters set from training
 * data), then {@code couplings} coupling layers; between two couplings a fixed permutation (and, with
 * {@link MixingKind#LU}, a learned LU linear map). Each coupling leaves the first floor(d/2) dimensions unchanged
 * and transforms the rest elementwise with parameters from a conditioner MLP that sees the unchanged dimensions
 * and the standardised context. For d = 1 nothing stays unchanged, so the spline is conditioned on the context
 * alone (on a constant column when k = 0 as well).
 *
 * <p>Shapes: x [B,d], c [B,k], z [B,d], log-densities [B]. When k = 0 the context is ignored and callers may pass
 * {@code null} for it.
 */
public final class ConditionalFlow {

    public static final String X_MEAN = "scaler.x.mean";
    public static final String X_STD = "scaler.x.std";
    public static final String C_MEAN = "scaler.c.mean";
    public static final String C_STD = "scaler.c.std";
    public static final String DF_RAW = "base.dfRaw";
    /** Initial Student-t degrees of freedom: close to Gaussian, the data pulls them down where tails are heavy. */
    static final double INITIAL_DF = 30.0;
    /**
     * df = 1 + exp(DF_RAW_SCALE * raw): the scale lets Adam, whose steps in raw are about the learning rate, move
     * df by several percent per step (with df = 1 + softplus(raw), going from 30 to 3 took thousands of steps).
     */
    static final float DF_RAW_SCALE = 5f;
    /** log(df - 1) is clamped to this range: df in (1.00005, 1100), where lgamma stays accurate in float32. */
    static final float MIN_LOG_DF_MINUS_ONE = -10f;
    static final float MAX_LOG_DF_MINUS_ONE = 7f;
    private static final float LOG_TWO_PI = (float) Math.log(2 * Math.PI);
    private static final float LOG_PI = (float) Math.log(Math.PI);

    private final FlowConfig config;
    private final SplineTransform spline;
    private final AffineTransform affine;
    private final int identityDim;
    private final int transformedDim;
    private final int conditionerInput;
    private final int rawPerElement;
    /** permutations[l] reorders the columns after coupling l (l < couplings - 1). */
    private final int[][] permutations;
    private final int[][] inversePermutations;
    private final List<LuLinear> luLayers;

    public ConditionalFlow(FlowConfig config) {
        this.config = config;
        this.spline = new SplineTransform(config);
        this.affine = new AffineTransform();
        this.identityDim = config.identityDimension();
        this.transformedDim = config.transformedDimension();
        int input = identityDim + config.contextDimension();
        this.conditionerInput = input == 0 ? 1 : input;
        this.rawPerElement = config.coupling() == CouplingKind.SPLINE
                ? spline.rawParametersPerElement() : affine.rawParametersPerElement();
        int mixings = config.couplings() - 1;
        this.permutations = new int[mixings][];
        this.inversePermutations = new int[mixings][];
        SplittableRandom random = new SplittableRandom(config.seed());
        for (int l = 0; l < mixings; l++) {
            permutations[l] = mixingPermutation(config.dimension(), identityDim, random);
            inversePermutations[l] = new int[config.dimension()];
            for (int i = 0; i < config.dimension(); i++) {
                inversePermutations[l][permutations[l][i]] = i;
            }
        }
        List<LuLinear> lu = new ArrayList<>();
        if (config.mixing() == MixingKind.LU && config.dimension() > 1) {
            for (int l = 0; l < mixings; l++) {
                lu.add(new LuLinear(config.dimension(), "mixing" + l));
            }
        }
        this.luLayers = List.copyOf(lu);
    }

    public FlowConfig config() {
        return config;
    }

    /** Every parameter the model reads through {@link TensorOps#parameter}, in a fixed order. */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> specs = new ArrayList<>();
        int d = config.dimension();
        int k = config.contextDimension();
        specs.add(new ParameterSpec(X_MEAN, new long[] {d}, false, Initializer.zeros()));
        specs.add(new ParameterSpec(X_STD, new long[] {d}, false, Initializer.ones()));
        if (k > 0) {
            specs.add(new ParameterSpec(C_MEAN, new long[] {k}, false, Initializer.zeros()));
            specs.add(new ParameterSpec(C_STD, new long[] {k}, false, Initializer.ones()));
        }
        for (int l = 0; l < config.couplings(); l++) {
            int width = conditionerInput;
            for (int j = 0; j < config.hiddenLayers(); j++) {
                specs.add(new ParameterSpec(weightName(l, j), new long[] {width, config.hiddenWidth()}, true,
                        new Initializer.GlorotUniform()));
                specs.add(new ParameterSpec(biasName(l, j), new long[] {config.hiddenWidth()}, true,
                        Initializer.zeros()));
                width = config.hiddenWidth();
            }
            // The output layer starts at zero: every coupling starts as the identity.
            int out = config.hiddenLayers();
            specs.add(new ParameterSpec(weightName(l, out), new long[] {width, (long) transformedDim * rawPerElement},
                    true, Initializer.zeros()));
            specs.add(new ParameterSpec(biasName(l, out), new long[] {(long) transformedDim * rawPerElement}, true,
                    Initializer.zeros()));
        }
        for (LuLinear lu : luLayers) {
            specs.addAll(lu.parameters());
        }
        if (config.base() == BaseKind.STUDENT_T) {
            float raw = rawForDegreesOfFreedom(INITIAL_DF);
            specs.add(new ParameterSpec(DF_RAW, new long[] {d}, true, new Initializer.Constant(raw)));
        }
        return List.copyOf(specs);
    }

    /** x [B,d] (original units), c [B,k] -> z [B,d] and log|det dz/dx| [B]. */
    public <T> FlowOutput<T> forward(TensorOps<T> ops, T x, T c) {
        T h = standardise(ops, x, X_MEAN, X_STD);
        T context = standardisedContext(ops, c);
        T logDet = null;
        for (int l = 0; l < config.couplings(); l++) {
            FlowOutput<T> coupled = coupling(ops, l, h, context, false);
            h = coupled.z();
            logDet = logDet == null ? coupled.logDet() : ops.add(logDet, coupled.logDet());
            if (l < config.couplings() - 1) {
                h = ops.gatherColumns(h, permutations[l]);
                if (!luLayers.isEmpty()) {
                    FlowOutput<T> mixed = luLayers.get(l).forward(ops, h);
                    h = mixed.z();
                    logDet = ops.add(logDet, mixed.logDet());
                }
            }
        }
        T scalerLogDet = ops.neg(ops.sum(ops.log(ops.parameter(X_STD)), 0, false));
        return new FlowOutput<>(h, ops.add(logDet, scalerLogDet));
    }

    /** z [B,d] (base noise), c [B,k] -> x [B,d] in original units. */
    public <T> T inverse(TensorOps<T> ops, T z, T c) {
        T context = standardisedContext(ops, c);
        T h = z;
        for (int l = config.couplings() - 1; l >= 0; l--) {
            if (l < config.couplings() - 1) {
                if (!luLayers.isEmpty()) {
                    h = luLayers.get(l).inverse(ops, h);
                }
                h = ops.gatherColumns(h, inversePermutations[l]);
            }
            h = coupling(ops, l, h, context, true).z();
        }
        return ops.add(ops.mul(h, ops.parameter(X_STD)), ops.parameter(X_MEAN));
    }

    /**
     * The inverse pass with the log-density of its result: z [B,d], c [B,k] -> x [B,d] in original units and
     * log|det dz/dx| [B] at that x (the forward pass's log-det, summed over the same layers, scaler included), so
     * log p(x | c) = baseLogProb(z) + logDet without running the forward pass on x. The conditioners see the same
     * inputs in both directions (a coupling leaves its conditioning columns unchanged), so each layer's log-det
     * comes from the quantities its inverse already computed.
     */
    public <T> FlowOutput<T> inverseWithLogDet(TensorOps<T> ops, T z, T c) {
        T context = standardisedContext(ops, c);
        T h = z;
        T logDet = null;
        for (int l = config.couplings() - 1; l >= 0; l--) {
            if (l < config.couplings() - 1) {
                if (!luLayers.isEmpty()) {
                    LuLinear lu = luLayers.get(l);
                    logDet = logDet == null ? lu.logDet(ops) : ops.add(logDet, lu.logDet(ops));
                    h = lu.inverse(ops, h);
                }
                h = ops.gatherColumns(h, inversePermutations[l]);
            }
            FlowOutput<T> coupled = invertCoupling(ops, l, h, context);
            h = coupled.z();
            logDet = logDet == null ? coupled.logDet() : ops.add(logDet, coupled.logDet());
        }
        T scalerLogDet = ops.neg(ops.sum(ops.log(ops.parameter(X_STD)), 0, false));
        return new FlowOutput<>(ops.add(ops.mul(h, ops.parameter(X_STD)), ops.parameter(X_MEAN)),
                ops.add(logDet, scalerLogDet));
    }

    /** log p_base(z) per row [B]. */
    public <T> T baseLogProb(TensorOps<T> ops, T z) {
        int d = config.dimension();
        if (config.base() == BaseKind.GAUSSIAN) {
            T quadratic = ops.mul(ops.sum(ops.square(z), 1, false), ops.scalar(-0.5f));
            return ops.sub(quadratic, ops.scalar(0.5f * d * LOG_TWO_PI));
        }
        // Student-t per dimension: log C(v) - (v+1)/2 log(1 + z^2/v), C from lgamma on the [d] df vector.
        T df = degreesOfFreedom(ops);
        T halfDfPlusOne = ops.mul(ops.add(df, ops.scalar(1f)), ops.scalar(0.5f));
        T logNormaliser = ops.sub(ops.sub(Lgamma.of(ops, halfDfPlusOne), Lgamma.of(ops, ops.mul(df, ops.scalar(0.5f)))),
                ops.mul(ops.add(ops.log(df), ops.scalar(LOG_PI)), ops.scalar(0.5f)));
        T perElement = ops.sub(logNormaliser,
                ops.mul(halfDfPlusOne, ops.log1p(ops.div(ops.square(z), df))));
        return ops.sum(perElement, 1, false);
    }

    /** log p(x | c) per row [B] = base log-density of the codes + log-det. */
    public <T> T logProb(TensorOps<T> ops, T x, T c) {
        FlowOutput<T> out = forward(ops, x, c);
        return ops.add(baseLogProb(ops, out.z()), out.logDet());
    }

    /** Student-t degrees of freedom per dimension [d] (see {@link #degreesOfFreedom(float)}). */
    public <T> T degreesOfFreedom(TensorOps<T> ops) {
        if (config.base() != BaseKind.STUDENT_T) {
            throw new IllegalStateException("degrees of freedom exist only for a Student-t base");
        }
        T logDfMinusOne = ops.clamp(ops.mul(ops.parameter(DF_RAW), ops.scalar(DF_RAW_SCALE)), MIN_LOG_DF_MINUS_ONE,
                MAX_LOG_DF_MINUS_ONE);
        return ops.add(ops.exp(logDfMinusOne), ops.scalar(1f));
    }

    /** The same map in Java: df = 1 + exp(clamp(5 raw, -10, 7)). */
    public static double degreesOfFreedom(float raw) {
        float logDfMinusOne = Math.max(MIN_LOG_DF_MINUS_ONE, Math.min(MAX_LOG_DF_MINUS_ONE, raw * DF_RAW_SCALE));
        return 1 + Math.exp(logDfMinusOne);
    }

    /** The raw parameter value that gives {@code df} degrees of freedom (df > 1). */
    public static float rawForDegreesOfFreedom(double df) {
        return (float) (Math.log(df - 1) / DF_RAW_SCALE);
    }

    /** The column order after coupling {@code l}: new column i is old column permutation[i]. */
    public int[] permutation(int l) {
        return permutations[l].clone();
    }

    static String weightName(int coupling, int layer) {
        return "coupling" + coupling + ".layer" + layer + ".weight";
    }

    static String biasName(int coupling, int layer) {
        return "coupling" + coupling + ".layer" + layer + ".bias";
    }

    private <T> FlowOutput<T> coupling(TensorOps<T> ops, int l, T h, T context, boolean inverse) {
        int d = config.dimension();
        T kept = identityDim > 0 ? ops.slice(h, 1, 0, identityDim) : null;
        T moved = identityDim > 0 ? ops.slice(h, 1, identityDim, d) : h;
        T raw = ops.reshape(conditioner(ops, l, kept, context, h), -1, transformedDim, rawPerElement);
        FlowOutput<T> out;
        if (inverse) {
            T back = config.coupling() == CouplingKind.SPLINE
                    ? spline.inverse(ops, moved, raw) : affine.inverse(ops, moved, raw);
            out = new FlowOutput<>(back, null);
        } else {
            out = config.coupling() == CouplingKind.SPLINE
                    ? spline.forward(ops, moved, raw) : affine.forward(ops, moved, raw);
        }
        T joined = kept == null ? out.z() : ops.concat(List.of(kept, out.z()), 1);
        return new FlowOutput<>(joined, out.logDet());
    }

    /** Coupling l inverted, with its forward log-det at the point it returns. */
    private <T> FlowOutput<T> invertCoupling(TensorOps<T> ops, int l, T h, T context) {
        int d = config.dimension();
        T kept = identityDim > 0 ? ops.slice(h, 1, 0, identityDim) : null;
        T moved = identityDim > 0 ? ops.slice(h, 1, identityDim, d) : h;
        T raw = ops.reshape(conditioner(ops, l, kept, context, h), -1, transformedDim, rawPerElement);
        FlowOutput<T> out = config.coupling() == CouplingKind.SPLINE
                ? spline.inverseWithForwardLogDet(ops, moved, raw) : affine.inverseWithForwardLogDet(ops, moved, raw);
        T joined = kept == null ? out.z() : ops.concat(List.of(kept, out.z()), 1);
        return new FlowOutput<>(joined, out.logDet());
    }

    /** The conditioner MLP: ReLU hidden layers, linear output [B, transformedDim * rawPerElement]. */
    private <T> T conditioner(TensorOps<T> ops, int l, T kept, T context, T anyColumns) {
        List<T> inputs = new ArrayList<>(2);
        if (kept != null) {
            inputs.add(kept);
        }
        if (context != null) {
            inputs.add(context);
        }
        T a;
        if (inputs.isEmpty()) {
            // d = 1, k = 0: a constant column keeps the shapes [B, *]; the clamp keeps 0 * x finite for huge x.
            T column = ops.clamp(ops.slice(anyColumns, 1, 0, 1), -1f, 1f);
            a = ops.add(ops.mul(column, ops.scalar(0f)), ops.scalar(1f));
        } else {
            a = inputs.size() == 1 ? inputs.get(0) : ops.concat(inputs, 1);
        }
        for (int j = 0; j < config.hiddenLayers(); j++) {
            a = ops.relu(ops.add(ops.matmul(a, ops.parameter(weightName(l, j))), ops.parameter(biasName(l, j))));
        }
        int out = config.hiddenLayers();
        return ops.add(ops.matmul(a, ops.parameter(weightName(l, out))), ops.parameter(biasName(l, out)));
    }

    private <T> T standardisedContext(TensorOps<T> ops, T c) {
        if (config.contextDimension() == 0) {
            return null;
        }
        if (c == null) {
            throw new IllegalArgumentException("the flow needs a context of width " + config.contextDimension());
        }
        return standardise(ops, c, C_MEAN, C_STD);
    }

    private static <T> T standardise(TensorOps<T> ops, T v, String mean, String std) {
        return ops.div(ops.sub(v, ops.parameter(mean)), ops.parameter(std));
    }

    /**
     * A seeded random permutation that moves at least one kept dimension into the transformed half (for d = 2 the
     * swap), so that stacked couplings transform every dimension.
     */
    private static int[] mixingPermutation(int d, int identityDim, SplittableRandom random) {
        int[] permutation = new int[d];
        for (int attempt = 0; ; attempt++) {
            for (int i = 0; i < d; i++) {
                permutation[i] = i;
            }
            for (int i = d - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = permutation[i];
                permutation[i] = permutation[j];
                permutation[j] = tmp;
            }
            if (identityDim == 0 || attempt > 100 || movesKeptDimension(permutation, identityDim)) {
                return permutation;
            }
        }
    }

    private static boolean movesKeptDimension(int[] permutation, int identityDim) {
        for (int i = identityDim; i < permutation.length; i++) {
            if (permutation[i] < identityDim) {
                return true;
            }
        }
        return false;
    }
}
