package io.flowcast.anomaly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecentValuesTest {

    @Test
    void keepsTheNewestValuesAndSummarisesThem() {
        RecentValues recent = new RecentValues(4);
        assertFalse(recent.has(0));
        for (int v = 1; v <= 6; v++) {
            recent.add(v * v);
        }
        // Kept, newest first: 36, 25, 16, 9.
        assertEquals(6, recent.count());
        assertEquals(36, recent.get(0));
        assertEquals(9, recent.get(3));
        assertTrue(recent.has(3));
        assertFalse(recent.has(4), "evicted");
        assertThrows(IndexOutOfBoundsException.class, () -> recent.get(4));
        assertEquals((36 + 25) / 2.0, recent.meanOfLast(2));
        assertEquals((11 + 9 + 7) / 3.0, recent.meanAbsoluteChange(3));
    }
}
