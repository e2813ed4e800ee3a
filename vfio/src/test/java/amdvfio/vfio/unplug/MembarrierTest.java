package amdvfio.vfio.unplug;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembarrierTest {

    /** The hand-linked command values and syscall number, as gcc reads them from the system headers. */
    @Test
    void shouldUseTheKernelHeadersNumbers(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("probe.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <linux/membarrier.h>
                #include <sys/syscall.h>
                int main(void) {
                  printf("%d %d %d %ld\\n", MEMBARRIER_CMD_QUERY, MEMBARRIER_CMD_PRIVATE_EXPEDITED,
                         MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, (long) SYS_membarrier);
                  return 0;
                }
                """);
        Process cc = new ProcessBuilder("gcc", "-o", dir.resolve("probe").toString(), src.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes());
        assertTrue(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0, ccOut);
        Process run = new ProcessBuilder(dir.resolve("probe").toString()).start();
        String out = new String(run.getInputStream().readAllBytes()).trim();
        assertTrue(run.waitFor(10, TimeUnit.SECONDS));

        assertEquals(Membarrier.CMD_QUERY + " " + Membarrier.CMD_PRIVATE_EXPEDITED + " "
                + Membarrier.CMD_REGISTER_PRIVATE_EXPEDITED + " " + Membarrier.SYS_MEMBARRIER, out);
    }

    @Test
    void shouldRegisterAndRunTheExpeditedBarrier() {
        assertNull(Membarrier.UNAVAILABLE);
        assertDoesNotThrow(Membarrier::barrier);
    }
}
