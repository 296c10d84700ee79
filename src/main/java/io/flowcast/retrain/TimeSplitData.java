package io.flowcast.retrain;

import io.flowcast.flow.ContextSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stream's records turned into (x, context) rows the way the topology builds them (each entity's history, in event
 * time order; an entity's first {@code window} records only fill its history), then split by event time, never
 * shuffled across it: training rows first, then calibration rows, then validation rows.
 */
public final class TimeSplitData {

    /** Rows of one part, row-major, with the entity (as a window id) and event time of each. */
    public record Part(float[] x, float[] c, long[] entities, long[] times, int rows) {
    }

    private final Part training;
    private final Part calibration;
    private final Part validation;
    private final long from;
    private final long to;

    private TimeSplitData(Part training, Part calibration, Part validation, long from, long to) {
        this.training = training;
        this.calibration = calibration;
        this.validation = validation;
        this.from = from;
        this.to = to;
    }

    /**
     * @param trainShare       share of rows (the oldest) to train on
     * @param calibrationShare share of the following rows that calibrate; the newest rest validates
     */
    public static TimeSplitData of(List<StreamObservation> observations, int d, ContextSpec spec,
            double trainShare, double calibrationShare) {
        List<StreamObservation> sorted = new ArrayList<>(observations);
        sorted.sort(Comparator.comparingLong(StreamObservation::eventTime));
        int k = spec.dimension(d);
        Map<String, List<StreamObservation>> histories = new HashMap<>();
        Map<String, Long> entityIds = new HashMap<>();
        List<float[]> xs = new ArrayList<>();
        List<float[]> cs = new ArrayList<>();
        List<long[]> meta = new ArrayList<>();
        for (StreamObservation observation : sorted) {
            if (observation.x().length != d) {
                continue;
            }
            List<StreamObservation> history = histories.computeIfAbsent(observation.entityId(), e -> new ArrayList<>());
            if (history.size() >= spec.window()) {
                float[] values = new float[spec.window() * d];
                for (int i = 0; i < spec.window(); i++) {
                    System.arraycopy(history.get(history.size() - spec.window() + i).x(), 0, values, i * d, d);
                }
                float[] context = spec.build(values, spec.window(), d, history.get(history.size() - 1).eventTime(),
                        observation.eventTime());
                xs.add(observation.x());
                cs.add(context);
                long entity = entityIds.computeIfAbsent(observation.entityId(), e -> (long) entityIds.size());
                meta.add(new long[] {entity, observation.eventTime()});
            }
            history.add(observation);
            if (history.size() > spec.window()) {
                history.remove(0);
            }
        }
        int rows = xs.size();
        int trainEnd = (int) Math.round(rows * trainShare);
        int calibrationEnd = trainEnd + (int) Math.round(rows * calibrationShare);
        long first = rows == 0 ? 0 : meta.get(0)[1];
        long last = rows == 0 ? 0 : meta.get(rows - 1)[1];
        return new TimeSplitData(part(xs, cs, meta, 0, trainEnd, d, k), part(xs, cs, meta, trainEnd, calibrationEnd,
                d, k), part(xs, cs, meta, calibrationEnd, rows, d, k), first, last);
    }

    private static Part part(List<float[]> xs, List<float[]> cs, List<long[]> meta, int from, int to, int d, int k) {
        int rows = Math.max(0, to - from);
        float[] x = new float[rows * d];
        float[] c = new float[rows * k];
        long[] entities = new long[rows];
        long[] times = new long[rows];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(xs.get(from + i), 0, x, i * d, d);
            System.arraycopy(cs.get(from + i), 0, c, i * k, k);
            entities[i] = meta.get(from + i)[0];
            times[i] = meta.get(from + i)[1];
        }
        return new Part(x, c, entities, times, rows);
    }

    public Part training() {
        return training;
    }

    public Part calibration() {
        return calibration;
    }

    public Part validation() {
        return validation;
    }

    /** Event time of the first row (epoch ms). */
    public long from() {
        return from;
    }

    /** Event time of the last row (epoch ms). */
    public long to() {
        return to;
    }
}
