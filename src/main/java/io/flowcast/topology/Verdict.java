package io.flowcast.topology;

/** Either a value or the rejection that sends its record to the dead-letter queue. */
public record Verdict<T>(T value, Rejection rejection) {

    public static <T> Verdict<T> accept(T value) {
        return new Verdict<>(value, null);
    }

    public static <T> Verdict<T> reject(Rejection rejection) {
        return new Verdict<>(null, rejection);
    }

    public boolean accepted() {
        return rejection == null;
    }
}
