package io.flowcast.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast double parser StrictJson enables must give exactly the doubles the JDK's parser gives. */
class StrictJsonNumbersTest {

    @Test
    void decimalsParseToTheJdksDoubles() throws Exception {
        List<String> literals = new ArrayList<>(List.of("0.1", "2.2250738585072011e-308", "2.2250738585072012e-308",
                "4.9e-324", "2.4703282292062328e-324", "1.7976931348623157e308", "1.7976931348623158e308",
                "9007199254740993", "9007199254740993.0", "0.30000000000000004", "1e15", "1.0000000000000001e15",
                "6.283185307179586", "6.2831853071795865", "123.456789012345678901234567890", "-0.0", "1e-400"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isFinite(value)) {
                literals.add(Double.toString(value));
            }
            literals.add(String.format("%.17g", (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20)));
            literals.add(String.format("%.6f", (random.nextDouble() - 0.5) * 2000));
        }
        for (String literal : literals) {
            byte[] json = ("{\"v\":" + literal + "}").getBytes(StandardCharsets.UTF_8);
            double parsed = StrictJson.parse(json).get("v").doubleValue();
            assertEquals(Double.doubleToLongBits(Double.parseDouble(literal)), Double.doubleToLongBits(parsed),
                    literal);
        }
    }
}
