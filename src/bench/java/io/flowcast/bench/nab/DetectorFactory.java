package io.flowcast.bench.nab;

/** Makes a fresh detector for each file, as NAB runs each detector from scratch on every file. */
@FunctionalInterface
public interface DetectorFactory {

    StreamingDetector create(SeriesContext context);
}
