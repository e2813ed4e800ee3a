package amdvfio.bench;

import org.openjdk.jmh.annotations.Benchmark;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The benchmark classes of this module, found by scanning target/classes for @Benchmark methods. */
final class BenchmarkClasses {

    private BenchmarkClasses() {
    }

    static Path classesDir() throws URISyntaxException {
        return Path.of(CBaselines.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    static List<String> find() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = classesDir();
        List<String> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("jmh_generated")
                    && !p.getFileName().toString().contains("$")).toList();
        }
        for (Path f : files) {
            String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> c = Class.forName(name, false, BenchmarkClasses.class.getClassLoader());
            if (Arrays.stream(c.getDeclaredMethods()).anyMatch((Method m) -> m.isAnnotationPresent(Benchmark.class))) {
                out.add(name);
            }
        }
        return out;
    }

    /** The class names of a BenchmarkList (JMH's format: "JMH S <len> <class> ..."). */
    static List<String> listed(String benchmarkList) {
        return benchmarkList.lines().filter(l -> l.startsWith("JMH S ")).map(l -> l.split(" ")[3]).distinct().toList();
    }
}
