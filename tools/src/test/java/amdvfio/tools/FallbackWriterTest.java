package amdvfio.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a non-UTF-8 locale gets instead of '?': ASCII look-alikes for people, escapes for JSON. */
class FallbackWriterTest {

    private static String write(String s, java.nio.charset.Charset cs, FallbackWriter.Mode mode) throws Exception {
        StringWriter sink = new StringWriter();
        try (FallbackWriter w = new FallbackWriter(sink, cs, mode)) {
            w.write(s);
        }
        return sink.toString();
    }

    @Test
    void textFallsBackToAsciiLookAlikes() throws Exception {
        assertEquals("GTT->VRAM->GTT matches, median 3.1 us -- ok", write("GTT→VRAM→GTT matches, median 3.1 µs — ok",
                StandardCharsets.US_ASCII, FallbackWriter.Mode.TEXT));
    }

    @Test
    void jsonEscapesWhatTheCharsetCannotShowAndStaysLossless() throws Exception {
        String doc = "{\"detail\":\"GTT→VRAM µs 😀\"}";
        String ascii = write(doc, StandardCharsets.US_ASCII, FallbackWriter.Mode.JSON);
        assertEquals(ascii, new String(ascii.getBytes(StandardCharsets.US_ASCII), StandardCharsets.US_ASCII), "pure ASCII");
        assertEquals("GTT→VRAM µs 😀", new ObjectMapper().readTree(ascii).get("detail").asText());
    }

    @Test
    void aUnicodeCharsetGetsEveryCharacterAsItIs() throws Exception {
        String s = "GTT→VRAM µs 😀";
        assertEquals(s, write(s, StandardCharsets.UTF_8, FallbackWriter.Mode.TEXT));
        assertEquals("caf\u00e9 ->", write("caf\u00e9 →", StandardCharsets.ISO_8859_1, FallbackWriter.Mode.TEXT),
                "Latin-1 shows é itself and only the arrow falls back");
    }
}
