package amdvfio.bench;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The annotation processor ran: META-INF/BenchmarkList of the compiled classes names every class
 * with a @Benchmark method (on JDK 25 a processor found only on the classpath is skipped silently
 * and JMH then finds no benchmarks). BenchmarkJarIT checks the same in the shaded jar.
 */
class BenchmarkListTest {

    @Test
    void shouldListEveryBenchmarkClassInTheCompiledBenchmarkList() throws Exception {
        List<String> classes = BenchmarkClasses.find();
        assertTrue(classes.size() >= 8, "benchmark classes found: " + classes);
        assertTrue(classes.contains("amdvfio.bench.unplug.RerouteBenchmark"), classes.toString());
        String list;
        try (InputStream in = BenchmarkClasses.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList missing: the JMH annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> listed = BenchmarkClasses.listed(list);
        for (String c : classes) {
            assertTrue(listed.contains(c), c + " is missing from META-INF/BenchmarkList: " + listed);
        }
    }
}
