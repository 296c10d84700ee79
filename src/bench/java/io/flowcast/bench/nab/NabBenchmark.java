package io.flowcast.bench.nab;

import io.flowcast.bench.Benchmark;
import java.nio.file.Path;

/** {@code -Dbench=nab}: the NAB corpus under the data folder (or its {@code nab/} child), every default detector. */
public final class NabBenchmark implements Benchmark {

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        NabBench.main(new String[] {dataDir.toString(), "-", outDir.toString()});
    }
}
