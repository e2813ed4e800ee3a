package amdvfio.tools;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.util.Map;

/**
 * Writes the CLI's output in the charset of the locale (outside a UTF-8 locale, e.g. LANG unset
 * under {@code env -i} or a CI runner, that is US-ASCII) and replaces what the charset cannot
 * show instead of letting the encoder print {@code ?}. Two modes:
 * <ul>
 *   <li>{@link Mode#TEXT}: an ASCII look-alike for people ({@code →} as {@code ->}, {@code µs} as
 *       {@code us});</li>
 *   <li>{@link Mode#JSON}: {@code \\uXXXX}, which is lossless and valid anywhere in a JSON
 *       document, because JSON allows non-ASCII characters only inside strings.</li>
 * </ul>
 */
final class FallbackWriter extends Writer {

    enum Mode { TEXT, JSON }

    private static final Map<Character, String> ASCII = Map.ofEntries(
            Map.entry('→', "->"), Map.entry('←', "<-"), Map.entry('↔', "<->"), Map.entry('µ', "u"),
            Map.entry('μ', "u"), Map.entry('—', "--"), Map.entry('–', "-"), Map.entry('…', "..."),
            Map.entry('×', "x"), Map.entry('≤', "<="), Map.entry('≥', ">="), Map.entry('≈', "~"),
            Map.entry('·', "-"), Map.entry('‘', "'"), Map.entry('’', "'"), Map.entry('“', "\""),
            Map.entry('”', "\""), Map.entry('±', "+/-"), Map.entry('°', " deg"), Map.entry('\u00a0', " "));

    private final Writer out;
    private final CharsetEncoder encoder;
    private final Mode mode;
    /** UTF-8/16/32 encode every character (canEncode would refuse a surrogate seen alone). */
    private final boolean unicode;

    FallbackWriter(Writer out, Charset charset, Mode mode) {
        this.out = out;
        this.encoder = charset.newEncoder();
        this.mode = mode;
        this.unicode = charset.name().startsWith("UTF-");
    }

    /** stdout or stderr ({@code fd} 1 or 2) in the charset the JVM chose for it from the locale. */
    static PrintWriter forStream(FileDescriptor fd, Mode mode) {
        String property = fd == FileDescriptor.err ? "stderr.encoding" : "stdout.encoding";
        Charset cs = charsetOr(System.getProperty(property), Charset.defaultCharset());
        return new PrintWriter(new FallbackWriter(new OutputStreamWriter(new FileOutputStream(fd), cs), cs, mode), true);
    }

    static Charset charsetOr(String name, Charset otherwise) {
        try {
            return name == null ? otherwise : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return otherwise;
        }
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        if (unicode) {
            out.write(buf, off, len);
            return;
        }
        int run = off;
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c < 0x80 || encoder.canEncode(c)) {
                continue;
            }
            out.write(buf, run, i - run);
            out.write(replacement(c));
            run = i + 1;
        }
        out.write(buf, run, off + len - run);
    }

    private String replacement(char c) {
        if (mode == Mode.JSON) {
            return String.format("\\u%04x", (int) c);
        }
        return ASCII.getOrDefault(c, "?");
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
