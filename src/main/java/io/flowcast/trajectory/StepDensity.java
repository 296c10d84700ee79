package io.flowcast.trajectory;

/**
 * One step flow of the chain as the forecaster uses it: log-densities, and the inverse pass on base noise the
 * forecaster draws itself (so that a zero code can give the mode candidate). Backed by ONNX Runtime in serving and
 * by DJL in tests.
 */
public interface StepDensity extends AutoCloseable {

    int contextDimension();

    /** log p(delta | c) for {@code rows} rows; {@code delta} has 2 * rows values, {@code c} rows * k. */
    void logProb(float[] delta, float[] c, int rows, float[] out);

    /** delta = f^-1(noise; c) for {@code rows} rows of 2-d standard normal noise. */
    float[] decode(float[] noise, float[] c, int rows);

    @Override
    void close();
}
