package io.flowcast.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodeSamplerTest {

    private static final int HORIZONS = 12;
    private static final int SAMPLES = 20;
    private static final int PER_AGENT = SAMPLES + 1;

    /** Codes as the forecaster lays them out: i.i.d. standard normal, the mode row zero. */
    private static float[] iidCodes(int agents, long seed) {
        Random random = new Random(seed);
        float[] codes = new float[agents * PER_AGENT * 2 * HORIZONS];
        for (int row = 0; row < agents * PER_AGENT; row++) {
            if (row % PER_AGENT == SAMPLES) {
                continue;
            }
            for (int j = 0; j < 2 * HORIZONS; j++) {
                codes[row * 2 * HORIZONS + j] = (float) random.nextGaussian();
            }
        }
        return codes;
    }

    private static double[] lead(float[] codes, int row) {
        double[] w = CodeSampler.leadDirection(HORIZONS);
        double x = 0;
        double y = 0;
        for (int h = 0; h < HORIZONS; h++) {
            x += w[h] * codes[row * 2 * HORIZONS + 2 * h];
            y += w[h] * codes[row * 2 * HORIZONS + 2 * h + 1];
        }
        return new double[] {x, y};
    }

    @Test
    void stratifiedCodesPutOneSampleInEachRadiusStratumAndKeepTheRest() {
        int agents = 50;
        float[] codes = iidCodes(agents, 11);
        float[] before = codes.clone();
        new CodeSampler(false, 1, true).applyAcrossSteps(codes, agents, PER_AGENT, SAMPLES, HORIZONS);
        double[] w = CodeSampler.leadDirection(HORIZONS);
        for (int a = 0; a < agents; a++) {
            double[] strata = new double[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                int row = a * PER_AGENT + i;
                double[] l = lead(codes, row);
                // The chi-square(2) CDF of the lead pair's squared radius: one sample per 1/N stratum.
                strata[i] = -Math.expm1(-0.5 * (l[0] * l[0] + l[1] * l[1]));
                double[] old = lead(before, row);
                for (int h = 0; h < HORIZONS; h++) {
                    int at = row * 2 * HORIZONS + 2 * h;
                    assertEquals(before[at] - w[h] * old[0], codes[at] - w[h] * l[0], 1e-5, "orthogonal part kept");
                    assertEquals(before[at + 1] - w[h] * old[1], codes[at + 1] - w[h] * l[1], 1e-5);
                }
            }
            Arrays.sort(strata);
            for (int k = 0; k < SAMPLES; k++) {
                assertTrue(strata[k] > (double) k / SAMPLES - 1e-4 && strata[k] < (k + 1.0) / SAMPLES + 1e-4,
                        "agent " + a + ": stratum " + k + " holds " + strata[k]);
            }
            int mode = (a * PER_AGENT + SAMPLES) * 2 * HORIZONS;
            for (int j = 0; j < 2 * HORIZONS; j++) {
                assertEquals(0f, codes[mode + j], "the mode row stays the zero code");
            }
        }
    }

    @Test
    void everyStratifiedSampleIsMarginallyStandardNormal() {
        int agents = 20_000;
        float[] codes = iidCodes(agents, 5);
        new CodeSampler(true, 1, true).applyAcrossSteps(codes, agents, PER_AGENT, SAMPLES, HORIZONS);
        for (int sample : new int[] {0, 7, 13, 19}) {
            int[] bins = new int[10];
            double[] sum = new double[2 * HORIZONS];
            double[] squares = new double[2 * HORIZONS];
            double cross = 0;
            for (int a = 0; a < agents; a++) {
                int row = a * PER_AGENT + sample;
                double[] l = lead(codes, row);
                // exp(-r^2 / 2) of a standard normal pair is uniform on (0, 1].
                bins[Math.min(9, (int) (10 * Math.exp(-0.5 * (l[0] * l[0] + l[1] * l[1]))))]++;
                for (int j = 0; j < 2 * HORIZONS; j++) {
                    double v = codes[row * 2 * HORIZONS + j];
                    sum[j] += v;
                    squares[j] += v * v;
                }
                cross += codes[row * 2 * HORIZONS] * codes[row * 2 * HORIZONS + 2];
            }
            for (int b = 0; b < 10; b++) {
                // Binomial(20000, 0.1): sd 42; 5 sd.
                assertEquals(agents / 10.0, bins[b], 5 * Math.sqrt(agents * 0.09), "sample " + sample + " bin " + b);
            }
            for (int j = 0; j < 2 * HORIZONS; j++) {
                double mean = sum[j] / agents;
                assertEquals(0, mean, 5 / Math.sqrt(agents), "sample " + sample + " coordinate " + j + " mean");
                assertEquals(1, squares[j] / agents - mean * mean, 0.06, "sample " + sample + " variance " + j);
            }
            assertEquals(0, cross / agents, 5 / Math.sqrt(agents), "steps 1 and 2 stay uncorrelated");
        }
    }

    @Test
    void withoutStratificationTheStepsAreLeftAsDrawn() {
        float[] codes = iidCodes(3, 2);
        float[] before = codes.clone();
        new CodeSampler(true, 1).applyAcrossSteps(codes, 3, PER_AGENT, SAMPLES, HORIZONS);
        CodeSampler.IID.applyAcrossSteps(codes, 3, PER_AGENT, SAMPLES, HORIZONS);
        assertArrayEquals(before, codes);
    }

    @Test
    void theLatticeGeneratorSpreadsTwentyPoints() {
        assertEquals(8, CodeSampler.LatticeGenerator.of(20));
        assertEquals(1, CodeSampler.LatticeGenerator.of(2));
    }
}
