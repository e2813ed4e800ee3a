package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One copy of every hardware fact: the main sources of {@code driver} and {@code sim} may not type
 * a register offset, field, opcode, width or id. Such a fact is a hex literal or a {@code Reg}/
 * {@code Field} built from numbers; both are refused outside the generated bindings and the typed
 * layer over them (the bindings module). Comments and strings are ignored. What remains legitimately hex (PCI
 * ids, all-ones of a removed device, unsigned arithmetic, layouts the bindings do not select yet)
 * is listed in {@code hardware-literals.allow} with its count and the reason, so a new literal in
 * an allowed file still fails.
 */
class HardwareFactLiteralsTest {

    private static final Pattern HEX = Pattern.compile("\\b0[xX][0-9a-fA-F_]+[lL]?\\b");
    private static final Pattern NUMERIC_REG_OR_FIELD = Pattern.compile(
            "(new\\s+(?:Reg|Field)\\s*\\(|\\b(?:Reg|Field)\\.(?:of|bit)\\s*\\()[^;]*?\\b\\d");

    @Test
    void driverAndSimMainSourcesTypeNoHardwareFact() throws IOException {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Map<String, Integer> found = new TreeMap<>();
        List<String> constructed = new ArrayList<>();
        for (String module : List.of("driver", "sim")) {
            scan(repo, repo.resolve(module).resolve("src/main/java"), found, constructed);
        }
        assertTrue(found.size() > 0, "the scan found the sources");
        List<String> problems = compare(found, allowList());
        problems.addAll(constructed);
        assertTrue(problems.isEmpty(), "hardware facts typed by hand (take them from amdvfio.amdgpu):\n  "
                + String.join("\n  ", problems));
    }

    @Test
    void aPlantedRegisterOffsetOrFieldIsFound(@TempDir Path dir) throws IOException {
        Path src = dir.resolve("driver/src/main/java/Planted.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                class Planted {
                    // 0x1234 in a comment is fine, and "0x80" in a string too
                    static final int RB_CNTL = 0x080;
                    static final Field RB_SIZE = new Field("RB_SIZE", 1, 0x3e);
                    static final Field HALT = Field.bit("HALT", 0);
                }
                """);
        Map<String, Integer> found = new TreeMap<>();
        List<String> constructed = new ArrayList<>();
        scan(dir, dir.resolve("driver/src/main/java"), found, constructed);
        assertEquals(Map.of("driver/src/main/java/Planted.java 0x080", 1, "driver/src/main/java/Planted.java 0x3e", 1), found);
        assertEquals(2, constructed.size(), constructed.toString());
        assertEquals(2, compare(found, Map.of()).size());
        assertTrue(compare(found, Map.of("driver/src/main/java/Planted.java 0x080", 1,
                "driver/src/main/java/Planted.java 0x3e", 1)).isEmpty(), "allowed with the exact count");
        assertEquals(1, compare(found, Map.of("driver/src/main/java/Planted.java 0x080", 1)).size());
    }

    /** Hex literals per "path literal" and numeric Reg/Field constructions, comments and strings blanked. */
    static void scan(Path repo, Path root, Map<String, Integer> found, List<String> constructed) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String rel = repo.relativize(p).toString();
                String code = blankCommentsAndStrings(Files.readString(p));
                Matcher m = HEX.matcher(code);
                while (m.find()) {
                    found.merge(rel + " " + m.group(), 1, Integer::sum);
                }
                Matcher c = NUMERIC_REG_OR_FIELD.matcher(code);
                while (c.find()) {
                    constructed.add(rel + ": " + c.group().strip() + "…");
                }
            }
        }
    }

    static List<String> compare(Map<String, Integer> found, Map<String, Integer> allowed) {
        List<String> problems = new ArrayList<>();
        found.forEach((k, n) -> {
            int ok = allowed.getOrDefault(k, 0);
            if (n > ok) {
                problems.add(k + " (" + n + " found, " + ok + " allowed)");
            }
        });
        return problems;
    }

    static Map<String, Integer> allowList() throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (InputStream in = HardwareFactLiteralsTest.class.getResourceAsStream("/hardware-literals.allow")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String body = line.replaceFirst("#.*", "").strip();
                if (!body.isEmpty()) {
                    String[] f = body.split("\\s+");
                    out.put(f[0] + " " + f[1], Integer.parseInt(f[2]));
                }
            }
        }
        return out;
    }

    /** Java source with comments, string and char literals (and text blocks) replaced by spaces. */
    static String blankCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            int end;
            if (s.startsWith("//", i)) {
                end = s.indexOf('\n', i);
                end = end < 0 ? s.length() : end;
            } else if (s.startsWith("/*", i)) {
                end = s.indexOf("*/", i + 2);
                end = end < 0 ? s.length() : end + 2;
            } else if (s.startsWith("\"\"\"", i)) {
                end = s.indexOf("\"\"\"", i + 3);
                end = end < 0 ? s.length() : end + 3;
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char q = s.charAt(i);
                end = i + 1;
                while (end < s.length() && s.charAt(end) != q) {
                    end += s.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, s.length());
            } else {
                out.append(s.charAt(i++));
                continue;
            }
            for (int k = i; k < end; k++) {
                out.append(s.charAt(k) == '\n' ? '\n' : ' ');
            }
            i = end;
        }
        return out.toString();
    }
}
