package amdvfio.vfio.unplug;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process meets its device's removal once, so whatever the removal path links on first use is
 * paid inside REQ→released (the first write() downcall alone took about 4 ms in a fresh JVM).
 * Lifecycle.activate() links those calls before; this proves, in a fresh JVM, that the removal
 * then builds no downcall (no binding holder class, no downcall stub loaded between the REQ and
 * the end of early fini), and that it does with the activation's linking switched off.
 */
class RemovalLinkageTest {

    @Test
    void shouldLinkNoNativeCallDuringTheRemovalOnceActivated() throws Exception {
        List<String> linked = linkedDuringRemoval("linked");

        assertEquals(List.of(), linked, "native calls linked on the removal's path");
    }

    @Test
    void shouldLinkNativeCallsDuringTheRemovalWhenActivationLinksNothing() throws Exception {
        List<String> linked = linkedDuringRemoval("unlinked");

        assertFalse(linked.isEmpty(), "the check saw no linkage even with the activation's linking off");
        assertTrue(linked.stream().anyMatch(c -> c.contains("libc_h$read")), linked.toString()); // the REQ's drain
    }

    /** Classes of native linkage the child loaded between the REQ and the end of early fini. */
    private static List<String> linkedDuringRemoval(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info:stdout",
                "-cp", cp, RemovalLinkageChild.class.getName(), mode)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end");
        assertEquals(0, p.exitValue(), out);
        int from = out.indexOf(RemovalLinkageChild.REMOVAL_BEGINS);
        int to = out.indexOf(RemovalLinkageChild.DETACHED, from);
        assertTrue(from >= 0 && to > from, "markers missing:\n" + out);
        List<String> linked = new ArrayList<>();
        for (String line : out.substring(from, to).split("\n")) {
            if (line.contains("libc_h$") || line.contains("DowncallStub") || line.contains("abi.")) {
                linked.add(line.trim());
            }
        }
        return linked;
    }
}
