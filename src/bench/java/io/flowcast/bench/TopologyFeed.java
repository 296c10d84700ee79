package io.flowcast.bench;

import java.nio.charset.StandardCharsets;

/**
 * The benchmark's event feed: {@code entities} services, each reporting latency and request rate once a second
 * (a daily cycle plus noise), round-robin over the entities. Deterministic: record i is the same in every run.
 */
final class TopologyFeed {

    static final String STREAM = "bench-service";
    private static final long T0 = 1_700_000_000_000L;

    private final int entities;

    TopologyFeed(int entities) {
        this.entities = entities;
    }

    int entities() {
        return entities;
    }

    String entity(long i) {
        return "svc-" + (i % entities);
    }

    long eventTime(long i) {
        return T0 + 1000L * (i / entities);
    }

    /** Latency (ms) and request rate of record i. */
    double[] values(long i) {
        long e = i % entities;
        long k = i / entities;
        double day = Math.sin(2 * Math.PI * k / 3600.0 + e);
        double noise = Math.sin(k * 12.9898 + e * 78.233) * 43758.5453;
        noise = noise - Math.floor(noise) - 0.5;
        return new double[] {120 + 30 * day + 8 * noise, 400 + 150 * day - 20 * noise};
    }

    byte[] key(long i) {
        return entity(i).getBytes(StandardCharsets.UTF_8);
    }

    byte[] value(long i) {
        double[] v = values(i);
        return ("{\"entityId\":\"" + entity(i) + "\",\"eventTime\":" + eventTime(i) + ",\"stream\":\"" + STREAM
                + "\",\"features\":{\"latency_ms\":" + v[0] + ",\"requests_per_s\":" + v[1] + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
