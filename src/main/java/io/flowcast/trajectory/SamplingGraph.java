package io.flowcast.trajectory;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import io.flowcast.flow.BaseKind;
import io.flowcast.flow.ConditionalFlow;
import io.flowcast.flow.CouplingKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.MixingKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The chain's ancestral sampling written node by node for ONNX Runtime's CPU kernels: the same flows, the same
 * exact log-densities as the generic forecast graph ({@link ChainGraphs}, the flow math recorded one operation at a
 * time), in about half the nodes and with the trend's share of the work done once per agent instead of once per
 * sampled row. A runtime call costs about half a microsecond per node before any arithmetic, so at a frame's few
 * agents the node count is the forecast's cost.
 *
 * <p>Inputs: {@code trend [A, f]} (one row per agent), {@code agent [N]} (int64: the agent of each sampled row),
 * {@code start [N, 4]} (u_-1, u_0), {@code noise [N, 2H]}; outputs {@code positions [N, 2H]} and
 * {@code step_log_prob [N, H]}, as the generic graph's.
 *
 * <p>What is rewritten, each an identity of the flow math ({@code SamplingGraphTest} holds it to the generic graph,
 * {@code FlowChainDensityTest} to the per-step sessions, within 1e-4 relative):
 * <ul>
 *   <li>the context scaler and the trend columns of every coupling's first layer are folded into one
 *       {@code [f, H * couplings * width]} matrix applied to the agents' trends once; per step one product adds the
 *       previous position and displacement for all couplings, and a coupling's first layer then only multiplies
 *       its kept column;</li>
 *   <li>d = 2 with a permutation between couplings: the two columns are kept as separate tensors and the
 *       permutation is a renaming, not a node;</li>
 *   <li>the spline's knots are linear in the softmax shares: one triangular product gives them, one comparison in
 *       share units counts the interior knots reached (the bin), one GatherElements picks the bin's knots, shares
 *       and derivatives from one table, and one product turns those into left knots, widths, heights and the two
 *       derivatives (no CumSum, Pad, Slice or one-hot sums);</li>
 *   <li>the linear tails: outside [-B, B] the spline is the identity. The spline is evaluated at the clamped value
 *       (where it returns the bound) and the overshoot added back, which is the identity there; its log-derivative
 *       at the bound is log(boundary derivative 1) = 0, so no masks;</li>
 *   <li>each coupling's log-derivative log(num) - 2 log(den) and the Gaussian base log-density are summed per
 *       step by one Log, one weighted reduction and one product at the end.</li>
 * </ul>
 */
final class SamplingGraph {

    static final String INPUT_AGENT = "agent";

    private static final String AGENTS = "agents";
    private static final String ROWS = "rows";
    private static final float LOG_TWO_PI = (float) Math.log(2 * Math.PI);
    /** The per-bin quantities gathered for each row, in table block order. */
    private static final int X0 = 0;
    private static final int Y0 = 1;
    private static final int WIDTH = 2;
    private static final int HEIGHT = 3;
    private static final int D0 = 4;
    private static final int D1 = 5;
    private static final int D_SUM = 6;
    private static final int BLOCKS = 7;
    /** Table entries gathered per row (see {@link KnotTables}). */
    private static final int GATHERED = 6;

    private final FlowChain chain;
    private final GraphWriter g = new GraphWriter();
    private final int horizons;
    private final int trendWidth;
    private final int couplings;
    private final int width;

    private SamplingGraph(FlowChain chain) {
        this.chain = chain;
        this.horizons = chain.layout().futureSteps();
        this.trendWidth = chain.layout().featureWidth();
        FlowConfig first = chain.stepConfigs().get(0);
        this.couplings = first.couplings();
        this.width = first.hiddenWidth();
    }

    /**
     * Whether the chain's step flows have the form this graph is written for: d = 2 spline couplings with a
     * permutation between them, a Gaussian base, one conditioner architecture for all steps.
     */
    static boolean supports(FlowChain chain) {
        FlowConfig first = chain.stepConfigs().get(0);
        for (FlowConfig config : chain.stepConfigs()) {
            if (config.dimension() != 2 || config.coupling() != CouplingKind.SPLINE
                    || config.mixing() != MixingKind.PERMUTATION || config.base() != BaseKind.GAUSSIAN
                    || config.contextDimension() != chain.layout().contextWidth()
                    || config.couplings() != first.couplings() || config.hiddenWidth() != first.hiddenWidth()) {
                return false;
            }
        }
        return true;
    }

    static OnnxMl.GraphProto graph(FlowChain chain) {
        if (!supports(chain)) {
            throw new IllegalArgumentException("the sampling graph needs d = 2 spline couplings, permutation mixing"
                    + " and a Gaussian base in every step flow");
        }
        return new SamplingGraph(chain).write();
    }

    private OnnxMl.GraphProto write() {
        String trend = g.floatInput(ChainGraphs.INPUT_TREND, AGENTS, trendWidth);
        String agent = g.longInput(INPUT_AGENT, ROWS);
        String start = g.floatInput(ChainGraphs.INPUT_START, ROWS, 4);
        String noise = g.floatInput(ChainGraphs.INPUT_NOISE, ROWS, 2L * horizons);

        // Every coupling's trend share of its first layer, once per agent; split per step.
        List<String> agentTerms = g.nodes("Split", List.of(g.gemm(trend, trendWeights(), trendBiases())), horizons,
                GraphWriter.intAttribute("axis", 1));

        List<String> startParts = g.nodes("Split", List.of(start), 2, GraphWriter.intAttribute("axis", 1));
        String position = startParts.get(1);
        String displacement = g.sub(position, startParts.get(0));
        List<String> codes = g.nodes("Split", List.of(noise), 2 * horizons, GraphWriter.intAttribute("axis", 1));

        List<String> positions = new ArrayList<>(horizons);
        List<String> logTerms = new ArrayList<>(2 * horizons * couplings);
        for (int h = 0; h < horizons; h++) {
            FlowConfig config = chain.stepConfigs().get(h);
            FlowParameters parameters = chain.stepParameters().get(h);
            ConditionalFlow flow = new ConditionalFlow(config);
            // The step's context beyond the trend, previous position and displacement, in every coupling's first
            // layer at once, on top of the trend's share copied to the agent's rows.
            String motion = g.node("Concat", List.of(position, displacement), GraphWriter.intAttribute("axis", 1));
            String rowTerms = g.node("Gather", List.of(agentTerms.get(h), agent), GraphWriter.intAttribute("axis", 0));
            List<String> terms = g.nodes("Split", List.of(g.gemm(motion, motionWeights(parameters), rowTerms)),
                    couplings, GraphWriter.intAttribute("axis", 1));
            String[] columns = {codes.get(2 * h), codes.get(2 * h + 1)};
            for (int l = couplings - 1; l >= 0; l--) {
                if (l < couplings - 1) {
                    int[] permutation = flow.permutation(l);
                    String[] reordered = new String[2];
                    // The inverse permutation: new column permutation[i] is old column i.
                    for (int i = 0; i < 2; i++) {
                        reordered[permutation[i]] = columns[i];
                    }
                    columns = reordered;
                }
                columns[1] = invertCoupling(config, parameters, l, columns[0], columns[1], terms.get(l), logTerms);
            }
            String joined = g.node("Concat", List.of(columns[0], columns[1]), GraphWriter.intAttribute("axis", 1));
            String delta = g.gemm(joined, diagonal(parameters.values(ConditionalFlow.X_STD)),
                    g.floats(parameters.values(ConditionalFlow.X_MEAN), 2));
            displacement = g.add(displacement, delta);
            position = g.add(position, displacement);
            positions.add(position);
        }
        g.output(g.node("Concat", positions, GraphWriter.intAttribute("axis", 1)), ChainGraphs.OUTPUT_POSITIONS,
                ROWS, 2L * horizons);

        // Weighted and summed per step by a reduction, not a matrix product: a product's zero weights would turn
        // one step's infinite log-term into NaN in every step of the row.
        String logs = g.node("Log", List.of(g.node("Concat", logTerms, GraphWriter.intAttribute("axis", 1))));
        String weighted = g.node("Reshape", List.of(g.mul(logs, g.floats(logTermWeights(), 1, 2L * horizons * couplings)),
                g.longs(new long[] {-1, horizons, 2L * couplings}, 3)));
        String logDets = g.node("ReduceSum", List.of(weighted, g.longs(new long[] {2}, 1)),
                GraphWriter.intAttribute("keepdims", 0));
        String base = g.gemm(g.mul(noise, noise), baseWeights(), g.floats(stepConstants(), horizons));
        g.output(g.add(logDets, base), ChainGraphs.OUTPUT_STEP_LOG_PROB, ROWS, horizons);
        return g.build("flowcast_chain_sampling");
    }

    /**
     * Coupling l of a step flow inverted on its moved column, given the kept column: returns the new moved column
     * and appends the numerator and denominator of its forward log-derivative to {@code logTerms}.
     */
    private String invertCoupling(FlowConfig config, FlowParameters parameters, int l, String kept, String moved,
            String contextTerm, List<String> logTerms) {
        int bins = config.bins();
        float bound = config.tailBound();
        float shift = (float) Math.log(Math.expm1(1.0 - config.minDerivative()));

        float[] first = parameters.values(weight(l, 0));
        String hidden = g.node("Relu", List.of(g.gemm(kept, g.floats(java.util.Arrays.copyOf(first, width), 1, width),
                contextTerm)));
        for (int j = 1; j < config.hiddenLayers(); j++) {
            hidden = g.node("Relu", List.of(g.gemm(hidden, matrix(parameters, weight(l, j)),
                    g.floats(parameters.values(bias(l, j)), width))));
        }
        int out = config.hiddenLayers();
        float[] outWeight = parameters.values(weight(l, out));
        float[] outBias = parameters.values(bias(l, out));
        int outWidth = 3 * bins - 1;

        // Softmax shares of the widths and heights [N, 2, K], and their exclusive running sums (the knots).
        String rawShares = g.gemm(hidden, g.floats(columns(outWeight, outWidth, 0, 2 * bins), width, 2L * bins),
                g.floats(slice(outBias, 0, 2 * bins, 0f), 2L * bins));
        String shares = g.node("Reshape", List.of(
                g.node("Softmax", List.of(g.node("Reshape", List.of(rawShares, g.longs(new long[] {-1, 2, bins}, 3)))),
                        GraphWriter.intAttribute("axis", -1)),
                g.longs(new long[] {-1, 2L * bins}, 2)));
        // The exclusive running sums as a product with a triangular matrix: ONNX Runtime's CumSum is several times
        // slower on these short rows.
        KnotTables tables = KnotTables.of(config);
        String flatKnots = g.gemm(shares, g.floats(runningSums(bins), 2L * bins, 2L * bins),
                g.floats(tables.knotOffsets, 2L * bins));
        // Knot derivatives 0..K before their floor: the ends get softplus(shift) + floor = 1, as the spline's.
        String derivatives = g.node("Softplus", List.of(g.gemm(hidden,
                g.floats(paddedColumns(outWeight, outWidth, 2 * bins, 3 * bins - 1), width, bins + 1L),
                g.floats(paddedSlice(outBias, 2 * bins, 3 * bins - 1, shift), bins + 1L))));
        String table = g.node("Concat", List.of(flatKnots, shares, derivatives),
                GraphWriter.intAttribute("axis", 1));

        // The bin: how many interior height knots the clamped value reaches, compared in share units.
        String clamped = g.node("Clip", List.of(moved, g.floats(new float[] {-bound}), g.floats(new float[] {bound})));
        String thresholds = g.gemm(clamped, g.floats(tables.thresholdScale, 1, 2L * bins),
                g.floats(tables.thresholdOffset, 2L * bins));
        String steps = g.node("Cast", List.of(g.node("GreaterOrEqual", List.of(thresholds, flatKnots))),
                GraphWriter.intAttribute("to", TensorProto.DataType.FLOAT_VALUE));
        String index = g.node("Cast", List.of(g.gemm(steps, g.floats(tables.countToIndex, 2L * bins, GATHERED),
                        g.floats(tables.gatherOffsets, GATHERED))),
                GraphWriter.intAttribute("to", TensorProto.DataType.INT64_VALUE));
        String picked = g.node("GatherElements", List.of(table, index), GraphWriter.intAttribute("axis", 1));
        List<String> bin = g.nodes("Split", List.of(g.gemm(picked, g.floats(tables.toBin, GATHERED, BLOCKS),
                g.floats(tables.binOffsets, BLOCKS))), BLOCKS, GraphWriter.intAttribute("axis", 1));

        // The inverse of the bin's rational-quadratic segment, as SplineTransform.inverseWithForwardLogDet.
        String two = g.scalar(2f);
        String slope = g.div(bin.get(HEIGHT), bin.get(WIDTH));
        String offset = g.sub(clamped, bin.get(Y0));
        String twiceSlope = g.mul(slope, two);
        String curvature = g.sub(bin.get(D_SUM), twiceSlope);
        String offsetCurvature = g.mul(offset, curvature);
        String a = g.add(g.mul(bin.get(HEIGHT), g.sub(slope, bin.get(D0))), offsetCurvature);
        String b = g.sub(g.mul(bin.get(HEIGHT), bin.get(D0)), offsetCurvature);
        String minusC = g.mul(slope, offset);
        String discriminant = g.node("Clip", List.of(g.add(g.mul(b, b), g.mul(g.mul(a, minusC), g.scalar(4f))),
                g.floats(new float[] {0f}), g.floats(new float[] {Float.MAX_VALUE})));
        // 2c / (-b - sqrt(disc)) with c = -minusC.
        String xi = g.div(g.mul(minusC, two), g.add(b, g.node("Sqrt", List.of(discriminant))));
        String inverted = g.add(g.add(g.mul(xi, bin.get(WIDTH)), bin.get(X0)), g.sub(moved, clamped));

        String oneMinusXi = g.sub(g.scalar(1f), xi);
        String xiTerm = g.mul(xi, oneMinusXi);
        String denominator = g.add(slope, g.mul(curvature, xiTerm));
        String numerator = g.mul(g.mul(slope, slope), g.add(
                g.add(g.mul(bin.get(D1), g.mul(xi, xi)), g.mul(twiceSlope, xiTerm)),
                g.mul(bin.get(D0), g.mul(oneMinusXi, oneMinusXi))));
        logTerms.add(numerator);
        logTerms.add(denominator);
        return inverted;
    }

    /**
     * The constants that turn a row's shares and knot derivatives into its bin's quantities. Knot k of the widths
     * is -B + a_w (sum of the shares before k) + 2B m_w k with a_w = 2B (1 - K m_w) (softmax shares floored at
     * m_w, scaled to [-B, B]); the same for the heights. The running sums get (2B m / a) k added, so that a knot
     * is one multiply-add of its table entry.
     */
    private record KnotTables(float[] knotOffsets, float[] thresholdScale, float[] thresholdOffset,
            float[] countToIndex, float[] gatherOffsets, float[] toBin, float[] binOffsets) {

        static KnotTables of(FlowConfig config) {
            int bins = config.bins();
            double bound = config.tailBound();
            double widthScale = 2 * bound * (1 - config.minBinWidth() * bins);
            double heightScale = 2 * bound * (1 - config.minBinHeight() * bins);
            double minWidth = 2 * bound * config.minBinWidth();
            double minHeight = 2 * bound * config.minBinHeight();
            float[] knotOffsets = new float[2 * bins];
            float[] thresholdScale = new float[2 * bins];
            float[] thresholdOffset = new float[2 * bins];
            float[] countToIndex = new float[2 * bins * GATHERED];
            for (int k = 0; k < bins; k++) {
                knotOffsets[k] = (float) (minWidth * k / widthScale);
                knotOffsets[bins + k] = (float) (minHeight * k / heightScale);
                // Width knots and the first height knot (-B, always reached) never count: threshold -1 < any sum.
                thresholdOffset[k] = -1f;
                if (k == 0) {
                    thresholdOffset[bins] = -1f;
                } else {
                    // y >= knot k  <=>  (y + B) / a_h >= running sum + offset.
                    thresholdScale[bins + k] = (float) (1 / heightScale);
                    thresholdOffset[bins + k] = (float) (bound / heightScale);
                    for (int q = 0; q < GATHERED; q++) {
                        countToIndex[(bins + k) * GATHERED + q] = 1f;
                    }
                }
            }
            // Table columns: width knots [0, K), height knots [K, 2K), width shares [2K, 3K), height shares
            // [3K, 4K), knot derivatives [4K, 5K]; gathered: both knots, both shares, derivatives k and k + 1.
            float[] gatherOffsets = {0, bins, 2 * bins, 3 * bins, 4 * bins, 4 * bins + 1};
            float[] toBin = new float[GATHERED * BLOCKS];
            float[] binOffsets = new float[BLOCKS];
            toBin[0 * BLOCKS + X0] = (float) widthScale;
            binOffsets[X0] = (float) -bound;
            toBin[1 * BLOCKS + Y0] = (float) heightScale;
            binOffsets[Y0] = (float) -bound;
            toBin[2 * BLOCKS + WIDTH] = (float) widthScale;
            binOffsets[WIDTH] = (float) minWidth;
            toBin[3 * BLOCKS + HEIGHT] = (float) heightScale;
            binOffsets[HEIGHT] = (float) minHeight;
            toBin[4 * BLOCKS + D0] = 1f;
            binOffsets[D0] = config.minDerivative();
            toBin[5 * BLOCKS + D1] = 1f;
            binOffsets[D1] = config.minDerivative();
            toBin[4 * BLOCKS + D_SUM] = 1f;
            toBin[5 * BLOCKS + D_SUM] = 1f;
            binOffsets[D_SUM] = 2 * config.minDerivative();
            return new KnotTables(knotOffsets, thresholdScale, thresholdOffset, countToIndex, gatherOffsets, toBin,
                    binOffsets);
        }
    }

    /** [f, H * couplings * width]: each coupling's first-layer rows of the trend, divided by the trend's scale. */
    private String trendWeights() {
        int blocks = horizons * couplings;
        float[] out = new float[trendWidth * blocks * width];
        for (int h = 0; h < horizons; h++) {
            FlowParameters parameters = chain.stepParameters().get(h);
            float[] std = parameters.values(ConditionalFlow.C_STD);
            for (int l = 0; l < couplings; l++) {
                float[] first = parameters.values(weight(l, 0));
                int block = h * couplings + l;
                for (int i = 0; i < trendWidth; i++) {
                    for (int o = 0; o < width; o++) {
                        // Row 0 of the first layer is the kept column; the context follows.
                        out[i * blocks * width + block * width + o] = (float) (first[(1 + i) * width + o] / std[i]);
                    }
                }
            }
        }
        return g.floats(out, trendWidth, (long) blocks * width);
    }

    /** Each coupling's first-layer bias minus its weights applied to the context scaler's mean / scale. */
    private String trendBiases() {
        int blocks = horizons * couplings;
        float[] out = new float[blocks * width];
        int k = chain.layout().contextWidth();
        for (int h = 0; h < horizons; h++) {
            FlowParameters parameters = chain.stepParameters().get(h);
            float[] mean = parameters.values(ConditionalFlow.C_MEAN);
            float[] std = parameters.values(ConditionalFlow.C_STD);
            for (int l = 0; l < couplings; l++) {
                float[] first = parameters.values(weight(l, 0));
                float[] bias = parameters.values(bias(l, 0));
                for (int o = 0; o < width; o++) {
                    double value = bias[o];
                    for (int i = 0; i < k; i++) {
                        value -= (double) mean[i] / std[i] * first[(1 + i) * width + o];
                    }
                    out[(h * couplings + l) * width + o] = (float) value;
                }
            }
        }
        return g.floats(out, (long) blocks * width);
    }

    /** [4, couplings * width]: each coupling's first-layer rows of the previous position and displacement. */
    private String motionWeights(FlowParameters parameters) {
        float[] std = parameters.values(ConditionalFlow.C_STD);
        float[] out = new float[4 * couplings * width];
        for (int l = 0; l < couplings; l++) {
            float[] first = parameters.values(weight(l, 0));
            for (int j = 0; j < 4; j++) {
                int row = 1 + trendWidth + j;
                for (int o = 0; o < width; o++) {
                    out[j * couplings * width + l * width + o] = (float) (first[row * width + o] / std[trendWidth + j]);
                }
            }
        }
        return g.floats(out, 4, (long) couplings * width);
    }

    /** [2H, H]: -1/2 on each step's two code columns (the Gaussian base's quadratic). */
    private String baseWeights() {
        float[] out = new float[2 * horizons * horizons];
        for (int h = 0; h < horizons; h++) {
            out[(2 * h) * horizons + h] = -0.5f;
            out[(2 * h + 1) * horizons + h] = -0.5f;
        }
        return g.floats(out, 2L * horizons, horizons);
    }

    /** Per log-term, step-major: +1 on each coupling's log-numerator, -2 on its log-denominator. */
    private float[] logTermWeights() {
        float[] out = new float[2 * horizons * couplings];
        for (int t = 0; t < out.length; t++) {
            out[t] = t % 2 == 0 ? 1f : -2f;
        }
        return out;
    }

    /** Per step: the Gaussian base's normaliser and the scaler's log-det, -log(2 pi) - sum(log std_x). */
    private float[] stepConstants() {
        float[] out = new float[horizons];
        for (int h = 0; h < horizons; h++) {
            float[] std = chain.stepParameters().get(h).values(ConditionalFlow.X_STD);
            double value = -LOG_TWO_PI;
            for (float s : std) {
                value -= Math.log(s);
            }
            out[h] = (float) value;
        }
        return out;
    }

    private String diagonal(float[] values) {
        float[] out = new float[values.length * values.length];
        for (int i = 0; i < values.length; i++) {
            out[i * values.length + i] = values[i];
        }
        return g.floats(out, values.length, values.length);
    }

    private String matrix(FlowParameters parameters, String name) {
        return g.floats(parameters.values(name), parameters.shape(name));
    }

    private static float[] columns(float[] matrix, int columns, int from, int to) {
        int rows = matrix.length / columns;
        float[] out = new float[rows * (to - from)];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * columns + from, out, r * (to - from), to - from);
        }
        return out;
    }

    private static float[] slice(float[] values, int from, int to, float plus) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = values[i] + plus;
        }
        return out;
    }

    /** [2K, 2K]: column k of each half sums the shares before k in the same half. */
    private static float[] runningSums(int bins) {
        float[] out = new float[4 * bins * bins];
        for (int half = 0; half < 2; half++) {
            for (int k = 0; k < bins; k++) {
                for (int j = 0; j < k; j++) {
                    out[(half * bins + j) * 2 * bins + half * bins + k] = 1f;
                }
            }
        }
        return out;
    }

    /** Columns [from, to) of a matrix with a zero column before and after. */
    private static float[] paddedColumns(float[] matrix, int columns, int from, int to) {
        int rows = matrix.length / columns;
        int out = to - from + 2;
        float[] padded = new float[rows * out];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(matrix, r * columns + from, padded, r * out + 1, to - from);
        }
        return padded;
    }

    /** values[from, to) + plus, with {@code plus} alone before and after. */
    private static float[] paddedSlice(float[] values, int from, int to, float plus) {
        float[] out = new float[to - from + 2];
        out[0] = plus;
        out[out.length - 1] = plus;
        for (int i = from; i < to; i++) {
            out[i - from + 1] = values[i] + plus;
        }
        return out;
    }

    private static String weight(int coupling, int layer) {
        return "coupling" + coupling + ".layer" + layer + ".weight";
    }

    private static String bias(int coupling, int layer) {
        return "coupling" + coupling + ".layer" + layer + ".bias";
    }
}
