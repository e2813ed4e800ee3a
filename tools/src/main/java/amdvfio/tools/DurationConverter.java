package amdvfio.tools;

import picocli.CommandLine;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** "500ms", "30s", "5m", "2h" → a positive {@link Duration} of at most {@link #LONGEST}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    /** The longest run a command accepts: a year is far beyond any soak, and nanosecond deadlines stay exact. */
    static final Duration LONGEST = Duration.ofDays(365);

    private static final Pattern P = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher m = P.matcher(value.trim());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; write it like 500ms, 30s, 5m or 2h");
        }
        Duration d;
        try {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } catch (NumberFormatException | ArithmeticException e) {
            d = null; // more digits than a long, or more seconds than a Duration holds
        }
        if (d == null || d.compareTo(LONGEST) > 0) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too long; the longest run is "
                    + LONGEST.toHours() + "h (a year)");
        }
        if (d.isZero()) {
            throw new CommandLine.TypeConversionException("the duration must be positive: '" + value + "'");
        }
        return d;
    }
}
