package io.flowcast.serving;

import java.util.Locale;

/**
 * What the operator asked for: {@code auto} (CUDA where a GPU driver exists, else CPU), {@code cuda} or {@code cpu}.
 */
public enum ProviderChoice {
    AUTO,
    CUDA,
    CPU;

    /** Parses {@code auto|cuda|cpu}, case-insensitively. */
    public static ProviderChoice parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("execution provider must be one of auto, cuda, cpu; got nothing");
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("execution provider must be one of auto, cuda, cpu; got '" + text + "'");
        }
    }
}
