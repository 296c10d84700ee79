package io.flowcast.flow.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) over named NDArrays, updated in place. Kept here rather than DJL's
 * {@code Optimizer.adam()} because the flow's parameters are plain arrays, not DJL Blocks, and so that the update
 * order (and with it the bits of the result) is fixed.
 */
final class Adam {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long steps;

    /** Moment buffers for each parameter, owned by {@code manager}. */
    Adam(NDManager manager, Map<String, NDArray> parameters, double beta1, double beta2, double epsilon) {
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
            NDArray p = entry.getValue();
            firstMoments.put(entry.getKey(), manager.zeros(p.getShape(), p.getDataType()));
            secondMoments.put(entry.getKey(), manager.zeros(p.getShape(), p.getDataType()));
        }
    }

    /**
     * One update: p -= lr * m_hat / (sqrt(v_hat) + eps) with the gradients multiplied by {@code gradientScale}
     * (the clipping factor). Temporaries live in {@code scratch}.
     */
    void step(NDManager scratch, Map<String, NDArray> parameters, Map<String, NDArray> gradients,
            double gradientScale, double learningRate) {
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate * Math.sqrt(correction2) / correction1);
        float epsilonHat = (float) (epsilon * Math.sqrt(correction2));
        for (Map.Entry<String, NDArray> entry : gradients.entrySet()) {
            String name = entry.getKey();
            NDArray g = scratched(scratch, entry.getValue().mul((float) gradientScale));
            NDArray m = firstMoments.get(name);
            NDArray v = secondMoments.get(name);
            m.muli((float) beta1).addi(scratched(scratch, g.mul((float) (1 - beta1))));
            v.muli((float) beta2).addi(scratched(scratch, scratched(scratch, g.square()).muli((float) (1 - beta2))));
            NDArray denominator = scratched(scratch, v.sqrt()).addi(epsilonHat);
            NDArray update = scratched(scratch, m.div(denominator)).muli(stepSize);
            // A detached view shares the parameter's storage: the in-place update is invisible to autograd.
            NDArray data = scratched(scratch, parameters.get(name).stopGradient());
            data.subi(update);
        }
    }

    private static NDArray scratched(NDManager scratch, NDArray array) {
        array.attach(scratch);
        return array;
    }
}
