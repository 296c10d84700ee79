package io.flowcast.topology;

/**
 * The largest micro-batch to form next. It starts at the configured maximum; a batch whose scoring took longer than
 * the time budget halves it (down to one record), and a full batch scored in under a quarter of the budget doubles
 * it back (up to the maximum). A slow model, a cold cache or a noisy neighbour therefore shrinks batches until each
 * fits the budget, and the budget is chosen far below {@code max.poll.interval.ms}, so batching can never make the
 * stream thread miss its poll deadline and be thrown out of the group.
 */
final class BatchSizer {

    private final int maxBatch;
    private final long budgetNanos;
    private int limit;

    BatchSizer(int maxBatch, long budgetNanos) {
        if (maxBatch < 1 || budgetNanos <= 0) {
            throw new IllegalArgumentException("need maxBatch >= 1 and a positive time budget");
        }
        this.maxBatch = maxBatch;
        this.budgetNanos = budgetNanos;
        this.limit = maxBatch;
    }

    int limit() {
        return limit;
    }

    /** Learns from one scored batch of {@code size} records that took {@code nanos}. */
    void scored(int size, long nanos) {
        if (nanos > budgetNanos) {
            limit = Math.max(1, limit / 2);
        } else if (size >= limit && nanos < budgetNanos / 4) {
            limit = Math.min(maxBatch, limit * 2);
        }
    }
}
