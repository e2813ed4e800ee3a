package amdvfio.tools;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ctrl-C: the CLI as a subprocess gets SIGINT mid-workload and must exit 130 within a second. */
class CtrlCTest {

    @Test
    void sigintDuringAHotplugLoopReleasesTheDeviceAndExitsWithinASecond() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "hotplug-loop", "--sim", "navi10", "--duration", "60s", "--no-progress"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine(); // "hotplug-loop on simulated Navi10 ...": the loop is starting
        if (first == null || !first.startsWith("hotplug-loop on")) {
            p.waitFor(5, TimeUnit.SECONDS);
            StringBuilder all = new StringBuilder(String.valueOf(first)).append('\n');
            out.lines().forEach(l -> all.append(l).append('\n'));
            throw new AssertionError("the CLI did not start the loop:\n" + all);
        }
        Thread.sleep(700); // well inside the removals
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        long t0 = System.nanoTime();
        boolean ended = p.waitFor(5, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder rest = new StringBuilder();
        if (ended) {
            out.lines().forEach(l -> rest.append(l).append('\n'));
        } else {
            p.destroyForcibly();
        }
        assertTrue(ended, "still running 5 s after SIGINT");
        assertTrue(ms < 1000, "exited " + ms + " ms after SIGINT\n" + rest);
        assertEquals(ExitCodes.INTERRUPTED, p.exitValue(), rest.toString());
        assertTrue(rest.toString().contains("interrupted"), rest.toString());
        assertTrue(new File("/proc/" + p.pid()).exists() == false || !p.isAlive());
    }
}
