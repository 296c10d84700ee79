package io.flowcast.contract;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking one record against its topic's contract: valid, or the reason it would be dead-lettered
 * and the rules it broke. At most {@link #MAX_VIOLATIONS} violations are kept (a huge bad array would otherwise
 * produce thousands); {@link #violationCount()} says how many there were.
 */
public final class ValidationResult {

    /** The most violations kept per record; the DLQ contract allows this many lines. */
    public static final int MAX_VIOLATIONS = 32;

    private static final ValidationResult VALID = new ValidationResult(null, List.of(), 0);

    private final DlqReason reason;
    private final List<Violation> violations;
    private final int violationCount;

    private ValidationResult(DlqReason reason, List<Violation> violations, int violationCount) {
        this.reason = reason;
        this.violations = violations;
        this.violationCount = violationCount;
    }

    /** The shared result of every valid record: validating a good record allocates nothing here. */
    public static ValidationResult valid() {
        return VALID;
    }

    public static ValidationResult invalid(DlqReason reason, List<Violation> violations) {
        if (reason == null || violations.isEmpty()) {
            throw new IllegalArgumentException("an invalid result needs a reason and at least one violation");
        }
        List<Violation> kept = List.copyOf(violations.subList(0, Math.min(violations.size(), MAX_VIOLATIONS)));
        return new ValidationResult(reason, kept, violations.size());
    }

    public boolean isValid() {
        return reason == null;
    }

    /** The dead-letter reason; {@code null} when valid. */
    public DlqReason reason() {
        return reason;
    }

    public List<Violation> violations() {
        return violations;
    }

    public int violationCount() {
        return violationCount;
    }

    /** One line for logs and the DLQ record's {@code detail}, cut to {@code maxChars}. */
    public String describe(int maxChars) {
        if (isValid()) {
            return "valid";
        }
        String omitted = violationCount > violations.size()
                ? " (and " + (violationCount - violations.size()) + " more)" : "";
        String text = reason + ": " + violations.stream().map(Violation::toString).collect(Collectors.joining("; "))
                + omitted;
        return text.length() <= maxChars ? text : text.substring(0, Math.max(0, maxChars - 3)) + "...";
    }

    @Override
    public String toString() {
        return describe(Integer.MAX_VALUE);
    }
}
