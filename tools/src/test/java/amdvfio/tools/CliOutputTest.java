package amdvfio.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the CLI writes when started as CI does: no locale (LANG unset under {@code env -i}, so the
 * JVM's stdout charset is US-ASCII) and stdout/stderr captured, not a terminal.
 */
class CliOutputTest {

    private static final List<String> NO_LOCALE = List.of("env", "-i", "PATH=/usr/bin:/bin");

    @Test
    void jsonOutsideAUtf8LocaleIsAsciiValidAndLossless() throws Exception {
        try (CliProcess cli = CliProcess.start(NO_LOCALE, "demo", "--json")) {
            List<String> lines = cli.finish(); // read as ISO-8859-1: any non-ASCII byte would show
            assertEquals(0, cli.process.exitValue(), String.join("\n", lines));
            String doc = String.join("\n", lines);
            assertTrue(doc.chars().allMatch(c -> c < 0x80), "only ASCII bytes on a US-ASCII stdout");
            JsonNode json = new ObjectMapper().readTree(doc);
            assertEquals("GTT\u2192VRAM\u2192GTT matches", json.get("verification").get(0).get("detail").asText());
            assertTrue(doc.contains("\\u2192"), "the arrow travels as an escape");
        }
    }

    @Test
    void textOutsideAUtf8LocaleFallsBackToAscii() throws Exception {
        try (CliProcess cli = CliProcess.start(NO_LOCALE, "test", "--sim", "navi10")) {
            List<String> lines = cli.finish();
            String text = String.join("\n", lines);
            assertEquals(0, cli.process.exitValue(), text);
            assertFalse(text.contains("?"), "no character became '?':\n" + text);
            assertTrue(text.contains("GTT->VRAM->GTT matches") && text.contains(" us"), text);
        }
    }

    @Test
    void noProgressBarWhenStderrIsNotATerminal() throws Exception {
        try (CliProcess cli = CliProcess.start(List.of(), "hotplug-loop", "--sim", "navi10", "-n", "3")) {
            assertNotNull(cli.awaitLine(l -> l.startsWith("iteration 3 ")), "the log shows each iteration instead");
            List<String> lines = cli.finish();
            assertEquals(0, cli.process.exitValue(), String.join("\n", lines));
            assertTrue(lines.stream().noneMatch(l -> l.contains("\r") || l.contains("hotplug ") && l.contains("%")),
                    String.join("\n", lines));
        }
    }
}
