package io.flowcast.topology;

import io.flowcast.anomaly.ModelRef;
import io.flowcast.trajectory.PathForecast;
import io.flowcast.trajectory.PathForecaster;
import io.flowcast.trajectory.RapidUpdateConfig;
import io.flowcast.trajectory.WeightedPaths;
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
 *
 * <p>Rapid update (models that are {@link PathForecaster#reweightable()}, i.e. the flow chain): the track keeps the
 * last model run's weighted samples ({@link StoredForecast}); a new position re-weights them ({@link WeightedPaths})
 * and the forecast is published as {@link ForecastRecord#REWEIGHTED} without calling the model, until the effective
 * sample size falls under {@link RapidUpdateConfig#essFraction()} of the samples or
 * {@link RapidUpdateConfig#maxSteps()} positions have been re-weighted: then the model runs
 * ({@link ForecastRecord#MODEL}). The anomaly score of a position:
 * <ul>
 *   <li>re-weighted record: the weighted-kernel density of the samples at the position (defined for every position
 *       the stored paths reach; not exact, it is the sample set's density);</li>
 *   <li>model record: exact, the model's density of the position given the history of its last run and every
 *       position since ({@link PathForecaster#nextLogDensities}), computed in the same round as the new forecast;
 *       the kernel density when a step since was missed, another model version made the previous forecast, or
 *       {@code flowcast.forecast.exact-model-scores} is off (the exact score costs a second runtime call per round,
 *       through the observed step's flow alone: a fifth of the forecast's cost or less);</li>
 *   <li>a model that is not re-weightable (constant velocity): the Gaussian of the previous forecast, exact for it.</li>
 * </ul>
 */
final class ForecastStage {

    /** What to publish for one record. */
    record Published(PendingRecord record, ForecastRecord forecast) {
    }

    private final PathForecaster forecaster;
    private final int samples;
    private final long maxGapMillis;
    private final RapidUpdateConfig rapid;
    private final boolean exactScores;

    ForecastStage(PathForecaster forecaster, int samples, long maxGapMillis) {
        this(forecaster, samples, maxGapMillis, RapidUpdateConfig.defaults(), true);
    }

    ForecastStage(Forecasting forecasting, long maxGapMillis) {
        this(forecasting.forecaster(), forecasting.samples(), maxGapMillis, forecasting.rapidUpdate(),
                forecasting.exactScores());
    }

    ForecastStage(PathForecaster forecaster, int samples, long maxGapMillis, RapidUpdateConfig rapid,
            boolean exactScores) {
        this.forecaster = forecaster;
        this.samples = samples;
        this.maxGapMillis = maxGapMillis;
        this.rapid = rapid;
        this.exactScores = exactScores;
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
            Observed seen = observe(track, x, y, time);
            track = track.append(x, y, time, forecaster.observedSteps()).withStored(seen.next());
            touched.put(key, track);
            if (track.steps() < forecaster.observedSteps()) {
                continue;
            }
            if (seen.next() != null && !seen.next().paths().needsRerun(rapid)) {
                touched.put(key, publishReweighted(record, track, seen, out, now));
            } else {
                round.add(new Request(record, key, track, seen));
                inRound.add(key);
            }
        }
        run(round, touched, out, now);
        touched.forEach(tracks::put);
        return out;
    }

    /**
     * The new position under the previous forecast: re-weights the stored samples when there are any (the score is
     * their kernel density), else the previous forecast's Gaussian.
     */
    private Observed observe(TrackState track, double x, double y, long time) {
        StoredForecast stored = track.stored();
        if (stored == null || track.stepMillis() <= 0) {
            return new Observed(track.logDensity(x, y, time), null, null, 0);
        }
        long steps = Math.round((time - stored.modelTime()) / (double) track.stepMillis());
        int step = (int) Math.max(0, Math.min(steps, Integer.MAX_VALUE));
        WeightedPaths.Update update = stored.paths().observe(step, x, y, rapid);
        StoredForecast next = update.next() == null ? null : stored.observed(step, x, y, update.next());
        return new Observed(update.logDensity(), next, stored, step);
    }

    private TrackState publishReweighted(PendingRecord record, TrackState track, Observed seen, List<Published> out,
            long now) {
        StoredForecast stored = seen.next();
        WeightedPaths paths = stored.paths();
        PathForecast forecast = paths.remainingForecast(rapid);
        Observation o = record.observation();
        out.add(new Published(record, record(o, record, stored.model(), forecaster.stepSeconds(), forecast,
                seen.logDensity(),
                ForecastRecord.REWEIGHTED, now, paths.weights().clone(), paths.effectiveSampleSize())));
        return track.withForecast(o.eventTime(), track.stepMillis(), forecast.means(), forecast.covariances(),
                stored);
    }

    private void run(List<Request> round, Map<String, TrackState> touched, List<Published> out, long now) {
        if (round.isEmpty()) {
            return;
        }
        // One model for the whole round, even if a new one is swapped in meanwhile.
        PathForecaster model = forecaster.current();
        ModelRef ref = model.model();
        List<float[]> histories = new ArrayList<>(round.size());
        long[] seeds = new long[round.size()];
        for (int i = 0; i < round.size(); i++) {
            histories.add(round.get(i).track().positions());
            seeds[i] = BatchScorer.seed(round.get(i).record().source());
        }
        List<PathForecast> forecasts = model.forecast(histories, seeds, samples);
        double[] exact = exactScores(round, exactScores ? model : null, ref);
        long stepMillis = Math.round(model.stepSeconds() * 1000);
        boolean reweightable = model.reweightable();
        for (int i = 0; i < round.size(); i++) {
            Request request = round.get(i);
            PathForecast forecast = forecasts.get(i);
            Observation o = request.record().observation();
            double score = Double.isFinite(exact[i]) ? exact[i] : request.seen().logDensity();
            StoredForecast stored = null;
            PathForecast published = forecast;
            Double ess = null;
            if (reweightable) {
                WeightedPaths paths = WeightedPaths.of(forecast);
                stored = StoredForecast.fresh(ref, o.eventTime(), request.track().positions(), paths);
                published = paths.remainingForecast(rapid);
                ess = paths.effectiveSampleSize();
            }
            touched.put(request.key(), touched.get(request.key()).withForecast(o.eventTime(), stepMillis,
                    published.means(), published.covariances(), stored));
            out.add(new Published(request.record(), record(o, request.record(), ref, model.stepSeconds(), published,
                    score,
                    ForecastRecord.MODEL, now, null, ess)));
        }
    }

    /**
     * The exact density of each position that brings a model run, where the model that made the previous forecast
     * is the one serving and every step since that run was observed; NaN elsewhere (all NaN without a model).
     */
    private static double[] exactScores(List<Request> round, PathForecaster model, ModelRef ref) {
        double[] exact = new double[round.size()];
        java.util.Arrays.fill(exact, Double.NaN);
        if (model == null) {
            return exact;
        }
        List<float[]> histories = new ArrayList<>();
        List<float[]> since = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < round.size(); i++) {
            Observed seen = round.get(i).seen();
            if (seen.previous() == null || seen.next() == null || !seen.previous().model().equals(ref)) {
                continue;
            }
            float[] observed = seen.next().consecutiveUpTo(seen.step());
            if (observed != null) {
                histories.add(seen.previous().history());
                since.add(observed);
                index.add(i);
            }
        }
        if (!index.isEmpty()) {
            double[] values = model.nextLogDensities(histories, since);
            for (int j = 0; j < index.size(); j++) {
                exact[index.get(j)] = values[j];
            }
        }
        return exact;
    }

    private static ForecastRecord record(Observation o, PendingRecord record, ModelRef model, double stepSeconds,
            PathForecast forecast, double score, String update, long now, double[] weights, Double ess) {
        return new ForecastRecord(o.entityId(), o.eventTime(), record.source(), model, stepSeconds,
                forecast.horizons(), paths(forecast), path(forecast.mostLikely(), 0, forecast.horizons()),
                horizons(forecast), Double.isFinite(score) ? score : null, update, now, weights, ess);
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

    /**
     * A position scored under the previous forecast.
     *
     * @param next     the stored samples after re-weighting by it (null: none, the model must run)
     * @param previous the stored samples before it (null: none)
     * @param step     the path step of the previous model run it fell on
     */
    private record Observed(double logDensity, StoredForecast next, StoredForecast previous, int step) {
    }

    private record Request(PendingRecord record, String key, TrackState track, Observed seen) {
    }
}
