package io.flowcast.flow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.flowcast.flow.BaseKind;
import io.flowcast.flow.FlowConfig;
import io.flowcast.flow.FlowParameters;
import io.flowcast.flow.LatentDependence;
import io.flowcast.flow.LatentDependenceTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The training losses of the dependent objectives, computed with DJL tensors over a batch of several windows,
 * equal the closed-form joint log-density of each window (itself checked against a dense Cholesky in
 * {@link LatentDependenceTest}), and the i.i.d. loss when the dependence is zero.
 */
class DependentObjectiveTest {

    private static final int D = 3;
    /** Three windows of 4, 1 and 5 records. */
    private static final int[] STARTS = {0, 4, 5, 10};
    private static final int N = 10;

    private static BatchMetadata batch(long[] times) {
        long[] ids = new long[N];
        for (int w = 0; w < 3; w++) {
            Arrays.fill(ids, STARTS[w], STARTS[w + 1], w);
        }
        return new BatchMetadata(N, ids, times, STARTS);
    }

    private static long[] times() {
        long[] times = new long[N];
        for (int w = 0; w < 3; w++) {
            long[] window = LatentDependenceTest.irregularTimes(w + 20, STARTS[w + 1] - STARTS[w]);
            System.arraycopy(window, 0, times, STARTS[w], window.length);
        }
        return times;
    }

    /** The objective's loss in float64 tensors, for codes z and log-determinants. */
    private static double loss(TrainingObjective objective, FlowParameters parameters, double[] z, double[] logDet,
            BatchMetadata batch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> arrays = DjlParameters.toArrays(manager, parameters, DataType.FLOAT64, false);
            DjlOps ops = new DjlOps(manager, arrays, DataType.FLOAT64);
            NDArray codes = manager.create(z, new Shape(N, D));
            NDArray dets = manager.create(logDet);
            NDArray value = objective.loss(ops, codes, dets, c -> gaussian(ops, c), batch);
            return value.toType(DataType.FLOAT64, false).toDoubleArray()[0];
        }
    }

    private static NDArray gaussian(DjlOps ops, NDArray z) {
        return ops.sub(ops.mul(ops.sum(ops.square(z), 1, false), ops.scalar(-0.5f)),
                ops.scalar((float) (0.5 * D * Math.log(2 * Math.PI))));
    }

    /** -(sum over windows of the closed-form joint + sum log|det|) / n. */
    private static double expected(LatentDependence dependence, double[] z, double[] logDet, long[] times) {
        double sum = 0;
        for (int w = 0; w < 3; w++) {
            int from = STARTS[w];
            int to = STARTS[w + 1];
            sum += dependence.jointLogDensity(Arrays.copyOfRange(z, from * D, to * D), to - from, D,
                    Arrays.copyOfRange(times, from, to));
        }
        for (double value : logDet) {
            sum += value;
        }
        return -sum / N;
    }

    private static double[] logDets() {
        SplittableRandom random = new SplittableRandom(4);
        double[] logDet = new double[N];
        for (int i = 0; i < N; i++) {
            logDet[i] = random.nextGaussian();
        }
        return logDet;
    }

    @Test
    void eachObjectiveMatchesItsClosedFormOverWholeWindows() {
        double[] z = LatentDependenceTest.randomCodes(31, N, D);
        double[] logDet = logDets();
        long[] times = times();
        BatchMetadata batch = batch(times);
        List<Object[]> cases = List.of(
                new Object[] {new Ar1Objective(D), Ar1Objective.RHO_RAW, 0.8f},
                new Object[] {new Ar1Objective(D), Ar1Objective.RHO_RAW, -0.4f},
                new Object[] {new OrnsteinUhlenbeckObjective(D, 5.0), OrnsteinUhlenbeckObjective.LOG_TAU, 0.7f},
                new Object[] {new CompoundSymmetryObjective(D), CompoundSymmetryObjective.A_RAW, 0.3f},
                new Object[] {new CompoundSymmetryObjective(D), CompoundSymmetryObjective.A_RAW, -3f});
        for (Object[] c : cases) {
            TrainingObjective objective = (TrainingObjective) c[0];
            FlowParameters parameters = FlowParameters.initialize(objective.parameters(), 1)
                    .with((String) c[1], new float[] {(Float) c[2]});
            LatentDependence dependence = objective.dependence(parameters);
            double want = expected(dependence, z, logDet, times);
            double got = loss(objective, parameters, z, logDet, batch);
            // float constants (log 2 pi, raw parameter) limit the agreement to about 1e-7 relative
            assertEquals(want, got, 1e-6 * Math.abs(want), objective.name() + " " + dependence);
        }
    }

    @Test
    void zeroDependenceGivesTheIidLoss() {
        double[] z = LatentDependenceTest.randomCodes(8, N, D);
        double[] logDet = logDets();
        BatchMetadata batch = batch(times());
        double iid = loss(new IidObjective(), FlowParameters.initialize(List.of(), 1), z, logDet, batch);
        Ar1Objective ar1 = new Ar1Objective(D);
        assertEquals(iid, loss(ar1, FlowParameters.initialize(ar1.parameters(), 1), z, logDet, batch),
                1e-7 * Math.abs(iid), "rho starts at exactly 0 (float32 rounding of log 2 pi aside)");
        CompoundSymmetryObjective cs = new CompoundSymmetryObjective(D);
        FlowParameters tiny = FlowParameters.initialize(cs.parameters(), 1)
                .with(CompoundSymmetryObjective.A_RAW, new float[] {-40f});
        assertEquals(iid, loss(cs, tiny, z, logDet, batch), 1e-7 * Math.abs(iid), "a = sigmoid(-40) is 0");
    }

    @Test
    void zeroGapsAndSingleRecordWindowsStayFinite() {
        double[] z = LatentDependenceTest.randomCodes(2, N, D);
        long[] equalTimes = new long[N];
        Arrays.fill(equalTimes, 1_000L);
        OrnsteinUhlenbeckObjective ou = new OrnsteinUhlenbeckObjective(D, 1.0);
        double value = loss(ou, FlowParameters.initialize(ou.parameters(), 1), z, new double[N],
                batch(equalTimes));
        assertTrue(Double.isFinite(value), "equal timestamps: " + value);
        Ar1Objective ar1 = new Ar1Objective(D);
        double saturated = loss(ar1, FlowParameters.initialize(ar1.parameters(), 1)
                .with(Ar1Objective.RHO_RAW, new float[] {30f}), z, new double[N], batch(equalTimes));
        assertTrue(Double.isFinite(saturated), "rho = tanh(30): " + saturated);
    }

    @Test
    void dependentObjectivesRefuseAStudentTBase() {
        FlowConfig studentT = FlowConfig.builder(2, 0).couplings(1).hiddenWidth(4).bins(4).base(BaseKind.STUDENT_T)
                .build();
        TrainingData data = TrainingData.windowed(2, 0, new float[] {1, 2, 3, 4, 5, 6}, null,
                new long[] {1, 1, 1}, new long[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(TrainerConfig.defaults())
                .train(studentT, data, new Ar1Objective(2)));
    }
}
