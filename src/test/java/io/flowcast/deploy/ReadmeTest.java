package io.flowcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README is the newcomer's contract: its test command is the one CI runs, its run command is the documented
 * one, and every Flowcast configuration key the service declares is documented there with its default.
 */
class ReadmeTest {

    private static final Path README = Path.of("README.md");
    private static final Path CI = Path.of(".ci/run");
    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Pattern FENCED_BASH = Pattern.compile("```bash\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void ciRunsExactlyTheReadmeTestCommand() throws IOException {
        String testCommand = commandAfter("## Test it");
        List<String> ciLines = Files.readAllLines(CI);
        String last = ciLines.get(ciLines.size() - 1).trim();
        assertEquals("exec " + testCommand, last, ".ci/run must end by running the README's test command");
    }

    @Test
    void theRunCommandBuildsAndStartsThePackagedService() throws IOException {
        String runCommand = commandAfter("## Run it");
        assertTrue(runCommand.startsWith("./mvnw "), runCommand);
        assertTrue(runCommand.endsWith("java -jar target/quarkus-app/quarkus-run.jar"), runCommand);
    }

    @Test
    void everyFlowcastKeyIsDocumentedWithItsDefault() throws IOException {
        String readme = Files.readString(README);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        }
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("flowcast.")) {
                String row = "| `" + key + "` | `" + properties.getProperty(key) + "` |";
                assertTrue(readme.contains(row), "README's configuration table lacks the row " + row);
            }
        }
    }

    private static String commandAfter(String heading) throws IOException {
        String readme = Files.readString(README);
        int at = readme.indexOf(heading);
        assertTrue(at >= 0, "README has no section " + heading);
        Matcher fenced = FENCED_BASH.matcher(readme);
        assertTrue(fenced.find(at), "no ```bash block after " + heading);
        return fenced.group(1).trim();
    }
}
