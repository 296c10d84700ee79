package io.flowcast.anomaly;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Alert episodes ({@code flowcast.alerts.*}); see {@link AlertPolicy} for what each value does. */
@ConfigMapping(prefix = "flowcast.alerts")
public interface AlertSettings {

    @WithDefault("4")
    double holdFactor();

    @WithDefault("5")
    int closeAfter();

    @WithDefault("0.999")
    double mediumGrade();

    @WithDefault("0.9999")
    double highGrade();

    @WithDefault("0.99999")
    double criticalGrade();

    default AlertPolicy policy() {
        return new AlertPolicy(holdFactor(), closeAfter(), mediumGrade(), highGrade(), criticalGrade());
    }
}
