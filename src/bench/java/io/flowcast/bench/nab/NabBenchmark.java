package io.flowcast.bench.nab;

import io.flowcast.bench.Benchmark;
import java.nio.file.Path;

/**
 * {@code -Dbench=nab}: the NAB corpus under the data folder (or its {@code nab/} child), every default detector.
 * {@code -Dbench.labels=FILE} names the label file (default: {@code labels/combined_windows.json} beside the data).
 */
public final class NabBenchmark implements Benchmark {

    @Override
    public void run(Path dataDir, Path outDir) throws Exception {
        String labels = System.getProperty("bench.labels", "");
        NabBench.main(new String[] {dataDir.toString(), labels.isBlank() ? "-" : labels, outDir.toString()});
    }
}
