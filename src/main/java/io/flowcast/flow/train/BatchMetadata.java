package io.flowcast.flow.train;

/**
 * What an objective may know about the rows of a batch besides their values. A batch holds whole windows: the rows
 * of one window are contiguous and in time order, so window w covers rows [windowStarts[w], windowStarts[w+1]).
 * In the i.i.d. case every row is a window of length 1.
 *
 * @param size         rows in the batch
 * @param windowIds    window (entity or group) id per row
 * @param timestamps   event time per row (epoch milliseconds, 0 when unknown)
 * @param windowStarts first row of each window, plus {@code size} at the end
 */
public record BatchMetadata(int size, long[] windowIds, long[] timestamps, int[] windowStarts) {

    public int windowCount() {
        return windowStarts.length - 1;
    }

    /** 1 for a row whose predecessor in the batch belongs to the same window, else 0 ([size] values). */
    public float[] hasPredecessorMask() {
        float[] mask = new float[size];
        for (int w = 0; w < windowCount(); w++) {
            for (int row = windowStarts[w] + 1; row < windowStarts[w + 1]; row++) {
                mask[row] = 1f;
            }
        }
        return mask;
    }
}
