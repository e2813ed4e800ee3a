package amdvfio.tools;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.PrintWriter;

/** Small shared helpers for human and JSON output. */
final class Report {

    /**
     * Non-ASCII characters are written as {@code \\uXXXX}: the document is then the same bytes in
     * any locale, where a non-UTF-8 stdout would turn them into {@code ?}.
     */
    private static final ObjectMapper LINE = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private static final ObjectMapper JSON = LINE.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    /** Milliseconds with three decimals, as JSON numbers. */
    static double ms(long nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }

    /** "0.041 ms", "12.3 ms", "1.20 s". */
    static String time(long nanos) {
        if (nanos < 1_000_000) {
            return String.format("%.3f ms", nanos / 1e6);
        }
        if (nanos < 1_000_000_000L) {
            return String.format("%.1f ms", nanos / 1e6);
        }
        return String.format("%.2f s", nanos / 1e9);
    }

    static void json(PrintWriter out, Object doc) {
        try {
            out.println(JSON.writeValueAsString(doc));
        } catch (Exception e) {
            throw new IllegalStateException("JSON output failed: " + e.getMessage(), e);
        }
        out.flush();
    }

    /** One document on one line (JSON lines: watch's events, soak's rounds, errors). */
    static String jsonLine(Object doc) {
        try {
            return LINE.writeValueAsString(doc);
        } catch (Exception e) {
            throw new IllegalStateException("JSON output failed: " + e.getMessage(), e);
        }
    }
}
