package io.flowcast.bench.ethucy;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Wall-clock and this thread's CPU time of a section. The forecasts run single-threaded on the caller's thread (ONNX
 * Runtime without an intra-op pool), so the CPU time is the work itself, while the wall time also holds what other
 * processes on a loaded machine took from it.
 */
final class Stopwatch {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long wallStart = System.nanoTime();
    private final long cpuStart = cpuNow();

    long wallNanos() {
        return System.nanoTime() - wallStart;
    }

    long cpuNanos() {
        return cpuNow() - cpuStart;
    }

    private static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : 0;
    }
}
