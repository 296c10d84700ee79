package io.flowcast.embedded.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Room sensors: temperature follows a seasonal cycle (a compressed day) plus AR(1) noise; relative humidity falls
 * as the room warms. Injected anomalies: a temperature spike, a level shift, a stuck sensor (the same value
 * repeated) and humidity that breaks from temperature (only anomalous jointly).
 */
public final class SeasonalSensorStream implements DemoStream {

    public static final String NAME = "sensor-temperature";
    private static final List<String> FEATURES = List.of("temperature_c", "humidity_pct");
    private static final List<AnomalyEpisodes.Kind> KINDS = List.of(new AnomalyEpisodes.Kind("spike", 1),
            new AnomalyEpisodes.Kind("level-shift", 20), new AnomalyEpisodes.Kind("stuck", 15),
            new AnomalyEpisodes.Kind("humidity-decoupled", 10));

    private final SplittableRandom random;
    private final double seasonMillis;
    private final List<String> ids = new ArrayList<>();
    private final List<Sensor> sensors = new ArrayList<>();

    public SeasonalSensorStream(long seed, int entities, Duration season, double anomalyRate) {
        this.random = new SplittableRandom(seed);
        this.seasonMillis = season.toMillis();
        for (int i = 0; i < entities; i++) {
            ids.add(String.format("sensor-%02d", i + 1));
            sensors.add(new Sensor(18 + 6 * random.nextDouble(), 3 + 3 * random.nextDouble(),
                    2 * Math.PI * random.nextDouble(), new AnomalyEpisodes(KINDS, anomalyRate)));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> features() {
        return FEATURES;
    }

    @Override
    public List<String> entityIds() {
        return ids;
    }

    @Override
    public Reading next(int index, long eventTime) {
        Sensor s = sensors.get(index);
        s.temperatureNoise = 0.8 * s.temperatureNoise + 0.3 * random.nextGaussian();
        s.humidityNoise = 0.7 * s.humidityNoise + 1.0 * random.nextGaussian();
        double seasonal = s.amplitude * Math.sin(2 * Math.PI * eventTime / seasonMillis + s.phase);
        double temperature = s.base + seasonal + s.temperatureNoise;
        double humidity = 60 - 1.5 * seasonal + s.humidityNoise;

        AnomalyEpisodes.Kind kind = s.episodes.advance(random);
        String anomaly = kind == null ? null : kind.name();
        if (kind != null) {
            switch (kind.name()) {
                case "spike" -> temperature += 8 + 4 * random.nextDouble();
                case "level-shift" -> temperature += 5;
                case "stuck" -> {
                    if (s.episodes.elapsed() == 0) {
                        s.stuckTemperature = round(temperature);
                        s.stuckHumidity = round(humidity);
                    }
                    temperature = s.stuckTemperature;
                    humidity = s.stuckHumidity;
                }
                case "humidity-decoupled" -> humidity += 20;
                default -> throw new IllegalStateException(kind.name());
            }
        }
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("temperature_c", round(temperature));
        features.put("humidity_pct", round(Math.max(0, Math.min(100, humidity))));
        return new Reading(features, anomaly);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static final class Sensor {
        final double base;
        final double amplitude;
        final double phase;
        final AnomalyEpisodes episodes;
        double temperatureNoise;
        double humidityNoise;
        double stuckTemperature;
        double stuckHumidity;

        Sensor(double base, double amplitude, double phase, AnomalyEpisodes episodes) {
            this.base = base;
            this.amplitude = amplitude;
            this.phase = phase;
            this.episodes = episodes;
        }
    }
}
