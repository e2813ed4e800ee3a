package amdvfio.bindings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Builds a C program that prints what the C compiler knows about the names the Java bindings
 * define (sizeof, offsetof, constant values), compiles it with gcc against the system's own
 * headers, runs it and returns its answers keyed like {@link BindingFacts}:
 * "sizeof vfio_irq_set", "offsetof vfio_irq_set.count", "const VFIO_DEVICE_SET_IRQS".
 */
final class CProbe {

    static final List<String> HEADERS = List.of(
            "fcntl.h", "unistd.h", "errno.h", "poll.h", "sys/mman.h", "sys/eventfd.h", "sys/epoll.h", "sys/socket.h",
            "linux/netlink.h", "linux/vfio.h");

    private CProbe() {
    }

    /** The system headers the libc and vfio bindings stand for. */
    static String systemIncludes() {
        StringBuilder c = new StringBuilder();
        for (String h : HEADERS) {
            c.append("#include <").append(h).append(">\n");
        }
        return c.toString();
    }

    static String source(BindingFacts facts, String includes) {
        StringBuilder c = new StringBuilder("#define _GNU_SOURCE\n#include <stdio.h>\n#include <stddef.h>\n");
        c.append(includes);
        c.append("int main(void) {\n");
        for (String struct : facts.structs()) {
            c.append("  printf(\"sizeof ").append(struct).append(" %zu\\n\", sizeof(").append(facts.tag(struct))
                    .append(' ').append(struct).append("));\n");
        }
        for (String field : facts.fields()) {
            int dot = field.indexOf('.');
            String struct = field.substring(0, dot);
            c.append("  printf(\"offsetof ").append(field).append(" %zu\\n\", offsetof(").append(facts.tag(struct))
                    .append(' ').append(struct).append(", ").append(field.substring(dot + 1)).append("));\n");
        }
        for (String constant : facts.constants()) {
            c.append("  printf(\"const ").append(constant).append(" %lld\\n\", (long long) (").append(constant).append("));\n");
        }
        return c.append("  return 0;\n}\n").toString();
    }

    /** Compiles and runs the probe over the system headers in {@code dir}; returns key → value as the C compiler sees it. */
    static Map<String, Long> run(BindingFacts facts, Path dir) throws IOException, InterruptedException {
        return run(facts, dir, systemIncludes(), List.of("-std=c11"));
    }

    /**
     * Compiles and runs a probe whose {@code includes} declare what {@code facts} names, with extra
     * gcc flags (include paths, the C dialect), in {@code dir}.
     */
    static Map<String, Long> run(BindingFacts facts, Path dir, String includes, List<String> gccFlags)
            throws IOException, InterruptedException {
        Path src = dir.resolve("probe.c");
        Path exe = dir.resolve("probe");
        Files.writeString(src, source(facts, includes));
        List<String> cmd = new ArrayList<>(List.of("gcc", "-Wall", "-Wno-unused-variable"));
        cmd.addAll(gccFlags);
        cmd.addAll(List.of("-o", exe.toString(), src.toString()));
        String compileOut = exec(cmd, dir);
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("gcc failed to compile the layout probe:\n" + compileOut);
        }
        Map<String, Long> answers = new LinkedHashMap<>();
        for (String line : exec(List.of(exe.toString()), dir).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int last = line.lastIndexOf(' ');
            answers.put(line.substring(0, last), Long.parseLong(line.substring(last + 1)));
        }
        return answers;
    }

    private static String exec(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " exited " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
