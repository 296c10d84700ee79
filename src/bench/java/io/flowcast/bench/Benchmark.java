package io.flowcast.bench;

import java.nio.file.Path;

/** One named benchmark: measures, prints a readable table, writes {@code outDir/NAME.json}. */
public interface Benchmark {

    void run(Path dataDir, Path outDir) throws Exception;
}
