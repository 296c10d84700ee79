package io.flowcast.embedded.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Web services: traffic (requests per second) follows a seasonal cycle; latency grows with traffic and has
 * log-normal, autocorrelated noise. Injected anomalies: a latency burst (a slow dependency), a traffic drop (an
 * upstream outage) and latency that creeps up (a leak).
 */
public final class RequestLatencyStream implements DemoStream {

    public static final String NAME = "service-latency";
    private static final List<String> FEATURES = List.of("latency_ms", "requests_per_s");
    private static final List<AnomalyEpisodes.Kind> KINDS = List.of(new AnomalyEpisodes.Kind("latency-burst", 8),
            new AnomalyEpisodes.Kind("traffic-drop", 10), new AnomalyEpisodes.Kind("latency-creep", 25));

    private final SplittableRandom random;
    private final double seasonMillis;
    private final List<String> ids = new ArrayList<>();
    private final List<Service> services = new ArrayList<>();

    public RequestLatencyStream(long seed, int entities, Duration season, double anomalyRate) {
        this.random = new SplittableRandom(seed);
        this.seasonMillis = season.toMillis();
        String[] names = {"checkout", "search", "catalog", "payments", "accounts", "recommendations", "images",
            "inventory"};
        for (int i = 0; i < entities; i++) {
            ids.add(i < names.length ? names[i] : "service-" + (i + 1));
            services.add(new Service(200 + 800 * random.nextDouble(), 10 + 20 * random.nextDouble(),
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
        Service s = services.get(index);
        s.trafficNoise = 0.6 * s.trafficNoise + 0.05 * random.nextGaussian();
        s.latencyNoise = 0.5 * s.latencyNoise + 0.12 * random.nextGaussian();
        double cycle = 1 + 0.5 * Math.sin(2 * Math.PI * eventTime / seasonMillis + s.phase);
        double requests = s.baseTraffic * cycle * Math.exp(s.trafficNoise);
        double latency = s.baseLatency * (1 + requests / 2000) * Math.exp(s.latencyNoise);

        AnomalyEpisodes.Kind kind = s.episodes.advance(random);
        String anomaly = kind == null ? null : kind.name();
        if (kind != null) {
            switch (kind.name()) {
                case "latency-burst" -> latency *= 4 + random.nextDouble();
                case "traffic-drop" -> requests *= 0.15;
                case "latency-creep" -> latency *= 1 + 0.12 * (s.episodes.elapsed() + 1);
                default -> throw new IllegalStateException(kind.name());
            }
        }
        Map<String, Double> features = new LinkedHashMap<>();
        features.put("latency_ms", Math.round(latency * 10) / 10.0);
        features.put("requests_per_s", Math.round(requests * 10) / 10.0);
        return new Reading(features, anomaly);
    }

    private static final class Service {
        final double baseTraffic;
        final double baseLatency;
        final double phase;
        final AnomalyEpisodes episodes;
        double trafficNoise;
        double latencyNoise;

        Service(double baseTraffic, double baseLatency, double phase, AnomalyEpisodes episodes) {
            this.baseTraffic = baseTraffic;
            this.baseLatency = baseLatency;
            this.phase = phase;
            this.episodes = episodes;
        }
    }
}
