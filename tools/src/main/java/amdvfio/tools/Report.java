package amdvfio.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.Arrays;

/** Small shared helpers for human and JSON output. */
final class Report {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

    /** min / median / max of {@code values} (nanos); {@code values} is sorted in place. Zeros when empty. */
    static long[] stats(long[] values) {
        if (values.length == 0) {
            return new long[] {0, 0, 0};
        }
        Arrays.sort(values);
        return new long[] {values[0], values[values.length / 2], values[values.length - 1]};
    }
}
