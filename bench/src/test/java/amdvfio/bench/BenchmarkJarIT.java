package amdvfio.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shaded target/benchmarks.jar (what bench/run runs) lists every benchmark class in
 * META-INF/BenchmarkList and carries the C baselines' source. Runs in the verify phase, after
 * the jar is built ({@code mvn -pl bench -am verify}).
 */
class BenchmarkJarIT {

    @Test
    void shouldListEveryBenchmarkClassInTheBuiltJar() throws Exception {
        Path jar = BenchmarkClasses.classesDir().getParent().resolve("benchmarks.jar");
        assertTrue(Files.exists(jar), jar + " not built");
        List<String> classes = BenchmarkClasses.find();
        try (JarFile j = new JarFile(jar.toFile())) {
            ZipEntry e = j.getEntry("META-INF/BenchmarkList");
            assertNotNull(e, "no META-INF/BenchmarkList in " + jar);
            List<String> listed = BenchmarkClasses.listed(new String(j.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8));
            for (String c : classes) {
                assertTrue(listed.contains(c), c + " is missing from the jar's BenchmarkList: " + listed);
                assertNotNull(j.getEntry(c.replace('.', '/') + ".class"), c + " class file missing from the jar");
            }
            assertNotNull(j.getEntry("c/baselines.c"), "the C baselines' source is missing from the jar");
            assertEquals("org.openjdk.jmh.Main", j.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
