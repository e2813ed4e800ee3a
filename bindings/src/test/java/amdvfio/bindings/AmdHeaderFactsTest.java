package amdvfio.bindings;

import amdvfio.amdgpu.AsicBases;
import amdvfio.amdgpu.HwIp;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The AMD hardware facts of {@code amdvfio.bindings.amdgpu} against gcc over the same kernel
 * headers jextract read: for every selection {@code bindings/jextract/amdgpu/<name>.want}, a probe
 * includes the same generated wrapper {@code <name>.h} and prints every macro and enum constant,
 * {@code sizeof} and {@code offsetof} that the header class {@code <name>_h} and its layout
 * classes claim. It also proves the checked-in output is complete: every name the
 * {@code <name>.args} list asks for exists in the Java class.
 *
 * <p>The headers come from {@code bindings/jextract/kernel-tree.sh} (Debian's linux-source-6.12,
 * or {@code AMDVFIO_KERNEL_TREE}). Where they are absent the test skips with the install hint,
 * except under CI ({@code CI=true}), where {@code .ci/run} installs them and a skip would hide a
 * broken install.
 */
class AmdHeaderFactsTest {

    private static final String PKG = "amdvfio.bindings.amdgpu";
    private static final Path SELECTIONS = Path.of("jextract", "amdgpu");

    @TestFactory
    Stream<DynamicTest> everyGeneratedConstantAndLayoutMatchesGccOverTheKernelHeaders(@TempDir Path dir) throws Exception {
        Path amd = amdTree();
        List<Path> wants;
        try (Stream<Path> files = Files.list(SELECTIONS)) {
            wants = files.filter(f -> f.toString().endsWith(".want")).sorted().toList();
        }
        assertTrue(wants.size() >= 20, "selections found: " + wants);
        return wants.stream().map(want -> DynamicTest.dynamicTest(name(want), () -> check(want, amd, dir)));
    }

    @Test
    void aWrongRegisterOffsetOrFieldMaskIsReportedReadably(@TempDir Path dir) throws Exception {
        Path amd = amdTree();
        Selection gc11 = Selection.read(SELECTIONS.resolve("gc_11_0_0.args"));
        BindingFacts facts = gc11.facts();
        Map<String, Long> c = CProbe.run(facts, dir, gc11.includes(), gccFlags(amd));
        Map<String, Long> broken = new HashMap<>(facts.claims());
        // the misreading issue #11 found in both hand-written copies: CNTL + 0x100
        broken.put("const regGCMC_VM_FB_LOCATION_BASE", 0x1788L);
        broken.put("const SDMA0_QUEUE0_RB_CNTL__RB_SIZE_MASK", 0x7eL);

        List<String> diff = BindingFacts.differences(broken, c);

        assertEquals(2, diff.size(), String.join("\n", diff));
        assertTrue(diff.contains("const regGCMC_VM_FB_LOCATION_BASE: Java says 6024 (0x1788), C says 5752 (0x1678)"), diff.toString());
        assertTrue(diff.contains("const SDMA0_QUEUE0_RB_CNTL__RB_SIZE_MASK: Java says 126 (0x7e), C says 62 (0x3e)"), diff.toString());
    }

    /**
     * The IP segment bases typed in {@code amdvfio.amdgpu.AsicBases}: the kernel's
     * {@code *_ip_offset.h} tables are initialised data that jextract cannot export, so they are
     * typed once there, and proven here element by element against gcc.
     */
    @Test
    void everyTypedIpSegmentBaseMatchesTheKernelsIpOffsetTable(@TempDir Path dir) throws Exception {
        Path amd = amdTree();
        Map<String, AsicBases> tables = Map.of("vega10_ip_offset.h", AsicBases.VEGA10,
                "navi10_ip_offset.h", AsicBases.NAVI10, "sienna_cichlid_ip_offset.h", AsicBases.NAVI21);
        int checked = 0;
        List<String> diff = new ArrayList<>();
        for (Map.Entry<String, AsicBases> t : tables.entrySet()) {
            Map<String, Long> claims = new java.util.LinkedHashMap<>();
            t.getValue().all().forEach((ip, segments) -> {
                String table = (ip == HwIp.NBIF ? "NBIO" : ip.name()) + "_BASE"; // the headers' name for NBIF
                for (int i = 0; i < segments.length; i++) {
                    claims.put(table + ".instance[0].segment[" + i + "]", Integer.toUnsignedLong(segments[i]));
                }
            });
            BindingFacts facts = BindingFacts.expressions(claims);
            Path sub = Files.createDirectories(dir.resolve(t.getKey()));
            Map<String, Long> c = CProbe.run(facts, sub, "#define __maybe_unused\n#include \"include/" + t.getKey() + "\"\n",
                    gccFlags(amd));
            BindingFacts.differences(facts.claims(), c).forEach(d -> diff.add(t.getKey() + " " + d));
            checked += claims.size();
        }
        assertTrue(diff.isEmpty(), "AsicBases disagrees with the kernel's tables:\n  " + String.join("\n  ", diff));
        assertTrue(checked >= 40, "segment bases checked: " + checked);
        System.out.printf("AsicBases: %d segment bases match the kernel's ip_offset tables%n", checked);
    }

    private static void check(Path want, Path amd, Path tmp) throws Exception {
        Selection sel = Selection.read(SELECTIONS.resolve(name(want) + ".args"));
        BindingFacts facts = sel.facts();
        List<String> missing = sel.constants().stream().filter(n -> !facts.constants().contains(n)).toList();
        if (!missing.isEmpty()) {
            fail(name(want) + "_h lacks " + missing.size() + " constant(s) its .args selects (regenerate with"
                    + " bindings/jextract/regen.sh): " + missing.subList(0, Math.min(10, missing.size())));
        }
        Path dir = Files.createDirectories(tmp.resolve(name(want)));
        Map<String, Long> c = CProbe.run(facts, dir, sel.includes(), gccFlags(amd));
        List<String> diff = BindingFacts.differences(facts.claims(), c);
        if (!diff.isEmpty()) {
            fail(name(want) + "_h disagrees with gcc over the kernel headers in " + diff.size() + " place(s):\n  "
                    + String.join("\n  ", diff.subList(0, Math.min(40, diff.size()))));
        }
        assertTrue(facts.constants().size() + facts.structs().size() > 0, "nothing checked for " + want);
        System.out.printf("%s: %d constants, %d layouts, %d fields match gcc%n", name(want),
                facts.constants().size(), facts.structs().size(), facts.fields().size());
    }

    private static List<String> gccFlags(Path amd) {
        // gnu11: the kernel headers use GNU C (empty structs in DECLARE_FLEX_ARRAY, __packed unions)
        return List.of("-std=gnu11", "-I", amd.toString(), "-I", SELECTIONS.toAbsolutePath().toString());
    }

    private static String name(Path want) {
        String f = want.getFileName().toString();
        return f.substring(0, f.lastIndexOf('.'));
    }

    /** drivers/gpu/drm/amd of the kernel tree, or a skip (never under CI) with the install hint. */
    private static Path amdTree() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "jextract/kernel-tree.sh").redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        String err = new String(p.getErrorStream().readAllBytes()).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("kernel-tree.sh timed out");
        }
        if (p.exitValue() != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("the AMD kernel headers are missing under CI (.ci/run should have installed them): " + err);
            }
            Assumptions.abort(err);
        }
        return Path.of(out, "drivers", "gpu", "drm", "amd");
    }

    /** One {@code <name>.args} selection: its header class, layout classes and the names it asks for. */
    private record Selection(String header, List<String> layouts, List<String> constants, Path wrapper) {

        static Selection read(Path args) throws IOException {
            List<String> lines = Files.readAllLines(args);
            String header = null;
            List<String> layouts = new ArrayList<>();
            List<String> constants = new ArrayList<>();
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String value = lines.get(i + 1);
                switch (lines.get(i)) {
                    case "--header-class-name" -> header = value;
                    case "--include-struct", "--include-union" -> layouts.add(value);
                    case "--include-constant" -> constants.add(value);
                    default -> { }
                }
            }
            String file = args.getFileName().toString();
            return new Selection(header, layouts, constants, args.resolveSibling(file.replace(".args", ".h")));
        }

        BindingFacts facts() throws ReflectiveOperationException {
            List<Class<?>> layoutClasses = new ArrayList<>();
            for (String l : layouts) {
                layoutClasses.add(Class.forName(PKG + "." + l));
            }
            return BindingFacts.of(Class.forName(PKG + "." + header), constants, layoutClasses);
        }

        String includes() {
            return "#include \"" + wrapper.getFileName() + "\"\n";
        }
    }
}
