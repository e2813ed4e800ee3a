package amdvfio.tools;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a failed command tells its user: one line of text, or under {@code --json} one JSON object on
 * stderr ({@code {"error":{"message":…,"exitCode":…,"kind":…}}}) so a script that asked for JSON can
 * parse the failure too; stdout keeps only the command's own document.
 */
final class ErrorOutput {

    private ErrorOutput() {
    }

    static void print(PrintWriter err, boolean json, String message, int exitCode) {
        if (json) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", message);
            e.put("exitCode", exitCode);
            e.put("kind", kind(exitCode));
            err.println(Report.jsonLine(Map.of("error", e)));
        } else {
            err.println("amdvfio: " + message);
        }
        err.flush();
    }

    /** The exit code's meaning as a stable word for scripts. */
    static String kind(int exitCode) {
        return switch (exitCode) {
            case ExitCodes.OK -> "ok";
            case ExitCodes.USAGE -> "usage";
            case ExitCodes.DEVICE_NOT_READY -> "device-not-ready";
            case ExitCodes.DEVICE_LOST -> "device-lost";
            case ExitCodes.VERIFICATION_FAILED -> "verification-failed";
            case ExitCodes.INTERRUPTED -> "interrupted";
            default -> "failure";
        };
    }
}
