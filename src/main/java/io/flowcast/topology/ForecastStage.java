package io.flowcast.topology;

import io.flowcast.trajectory.PathForecast;
import io.flowcast.trajectory.PathForecaster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forecasts the agents of a scored micro-batch. Per record, in arrival order: score the new position under the
 * agent's previous forecast, append it to the agent's track, and once the track holds the model's history length,
 * forecast from it. Forecasts of different agents go to the model together; an agent seen twice in one batch splits
 * it into rounds, because its second position is scored under the forecast made at its first. A silence longer than
 * {@code maxGap} restarts the track.
 */
final class ForecastStage {

    /** What to publish for one record. */
    record Published(PendingRecord record, ForecastRecord forecast) {
    }

    private final PathForecaster forecaster;
    private final int samples;
    private final long maxGapMillis;

    ForecastStage(PathForecaster forecaster, int samples, long maxGapMillis) {
        this.forecaster = forecaster;
        this.samples = samples;
        this.maxGapMillis = maxGapMillis;
    }

    List<Published> forecast(List<PendingRecord> records, KeyValueStore<String, TrackState> tracks, long now) {
        List<Published> out = new ArrayList<>();
        Map<String, TrackState> touched = new HashMap<>();
        Set<String> inRound = new HashSet<>();
        List<Request> round = new ArrayList<>();
        for (PendingRecord record : records) {
            String key = ScoringProcessor.historyKey(record.observation());
            if (inRound.contains(key)) {
                run(round, touched, out, now);
                round.clear();
                inRound.clear();
            }
            TrackState track = touched.containsKey(key) ? touched.get(key) : tracks.get(key);
            long time = record.observation().eventTime();
            if (track == null || time - track.lastEventTime() > maxGapMillis) {
                track = TrackState.EMPTY;
            }
            double x = record.observation().features().get("x");
            double y = record.observation().features().get("y");
            double observed = track.logDensity(x, y, time);
            track = track.append(x, y, time, forecaster.observedSteps());
            touched.put(key, track);
            if (track.steps() == forecaster.observedSteps()) {
                round.add(new Request(record, key, track, observed));
                inRound.add(key);
            }
        }
        run(round, touched, out, now);
        touched.forEach(tracks::put);
        return out;
    }

    private void run(List<Request> round, Map<String, TrackState> touched, List<Published> out, long now) {
        if (round.isEmpty()) {
            return;
        }
        List<float[]> histories = new ArrayList<>(round.size());
        long[] seeds = new long[round.size()];
        for (int i = 0; i < round.size(); i++) {
            histories.add(round.get(i).track().positions());
            seeds[i] = BatchScorer.seed(round.get(i).record().source());
        }
        List<PathForecast> forecasts = forecaster.forecast(histories, seeds, samples);
        long stepMillis = Math.round(forecaster.stepSeconds() * 1000);
        for (int i = 0; i < round.size(); i++) {
            Request request = round.get(i);
            PathForecast forecast = forecasts.get(i);
            Observation o = request.record().observation();
            touched.put(request.key(), touched.get(request.key()).withForecast(o.eventTime(), stepMillis,
                    forecast.means(), forecast.covariances()));
            out.add(new Published(request.record(), new ForecastRecord(o.entityId(), o.eventTime(),
                    request.record().source(), forecaster.model(), forecaster.stepSeconds(), forecast.horizons(),
                    paths(forecast), path(forecast.mostLikely(), 0, forecast.horizons()), horizons(forecast),
                    Double.isFinite(request.observedLogDensity()) ? request.observedLogDensity() : null, "MODEL",
                    now)));
        }
    }

    private static float[][][] paths(PathForecast forecast) {
        float[][][] paths = new float[forecast.samples()][][];
        for (int s = 0; s < paths.length; s++) {
            paths[s] = path(forecast.paths(), s * 2 * forecast.horizons(), forecast.horizons());
        }
        return paths;
    }

    private static float[][] path(float[] values, int offset, int horizons) {
        float[][] path = new float[horizons][];
        for (int h = 0; h < horizons; h++) {
            path[h] = new float[] {values[offset + 2 * h], values[offset + 2 * h + 1]};
        }
        return path;
    }

    private static List<ForecastRecord.Horizon> horizons(PathForecast forecast) {
        List<ForecastRecord.Horizon> horizons = new ArrayList<>(forecast.horizons());
        double[] m = forecast.means();
        double[] c = forecast.covariances();
        for (int h = 0; h < forecast.horizons(); h++) {
            horizons.add(new ForecastRecord.Horizon(h + 1, new double[] {m[2 * h], m[2 * h + 1]},
                    new double[][] {{c[3 * h], c[3 * h + 1]}, {c[3 * h + 1], c[3 * h + 2]}}));
        }
        return horizons;
    }

    private record Request(PendingRecord record, String key, TrackState track, double observedLogDensity) {
    }
}
