package amdvfio.tools;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "500ms", "30s", "5m", "2h" → a positive {@link Duration}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern P = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher m = P.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; write it like 500ms, 30s, 5m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw new CommandLine.TypeConversionException("the duration must be positive: '" + value + "'");
        }
        return d;
    }
}
