package io.flowcast.contract;

/**
 * One broken rule of a contract.
 *
 * @param location where in the record, as a JSON path ({@code $.features.temp}); {@code $} for the whole record
 * @param rule     the JSON Schema keyword that failed ({@code required}, {@code maximum}...), {@code finite} for a
 *                 non-finite number, {@code json} for unparseable input, {@code size} for an oversized record
 * @param message  a sentence for people, naming the location
 */
public record Violation(String location, String rule, String message) {

    @Override
    public String toString() {
        return message + " [" + rule + "]";
    }
}
