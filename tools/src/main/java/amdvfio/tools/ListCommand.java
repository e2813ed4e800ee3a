package amdvfio.tools;

import amdvfio.vfio.sysfs.ArrivalDiagnostics;
import amdvfio.vfio.sysfs.PciClassNames;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;
import amdvfio.vfio.sysfs.VfioReadiness;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio list}: the display and accelerator PCI functions of this machine (AMD first),
 * each with its ids, class, driver, IOMMU group and whether it is ready for VFIO — the first
 * thing a testbench user types. Reads the real /sys.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List display and accelerator PCI functions (AMD first) and whether each is ready for VFIO.")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "List every PCI function, not only GPUs and accelerators.")
    boolean all;

    @Option(names = "--json", description = "Print one JSON document instead of a table.")
    boolean json;

    /** For tests: a fake sysfs tree. The command itself reads /sys. */
    @Option(names = "--sysfs-root", hidden = true, defaultValue = "/sys")
    Path sysfsRoot;

    @Override
    public Integer call() throws Exception {
        Sysfs sysfs = new Sysfs(sysfsRoot);
        ArrivalDiagnostics diagnostics = new ArrivalDiagnostics(sysfs);
        List<ArrivalDiagnostics.Finding> machine = diagnostics.machine();
        List<PciFunction> scanned = sysfs.list();
        List<Row> rows = new ArrayList<>();
        for (PciFunction f : scanned) {
            if (all || isGpuOrAccelerator(f)) {
                rows.add(new Row(f, sysfs.readiness(f.address()), isGpuOrAccelerator(f)
                        ? diagnostics.function(f.address(), 0) : List.of()));
            }
        }
        rows.sort(Comparator.comparing((Row r) -> !r.function.isAmdGpu())
                .thenComparing(r -> !isGpuOrAccelerator(r.function))
                .thenComparing(r -> r.function.address()));
        PrintWriter out = spec.commandLine().getOut();
        long amd = rows.stream().filter(r -> r.function.isAmdGpu()).count();
        if (json) {
            printJson(out, scanned.size(), amd, rows, machine);
        } else {
            printTable(out, scanned.size(), amd, rows);
            Diagnostics.print(out, machine, rows.stream().flatMap(r -> r.findings.stream()).toList());
        }
        return ExitCodes.OK;
    }

    static boolean isGpuOrAccelerator(PciFunction f) {
        int base = f.classCode() >>> 16;
        return base == 0x03 || base == 0x12;
    }

    private void printTable(PrintWriter out, int scanned, long amd, List<Row> rows) {
        if (!rows.isEmpty()) {
            String format = "%-12s  %-9s  %-24s  %-14s  %-5s  %s%n";
            out.printf(format, "ADDRESS", "ID", "CLASS", "DRIVER", "GROUP", "VFIO");
            for (Row r : rows) {
                PciFunction f = r.function;
                out.printf(format, f.address(), f.ids(), PciClassNames.className(f.classCode()),
                        f.driver() == null ? "-" : f.driver(), f.hasIommuGroup() ? Integer.toString(f.iommuGroup()) : "-",
                        r.readiness.describe());
            }
            out.println();
        }
        if (amd == 0) {
            out.println(rows.isEmpty() && !all
                    ? "No display or accelerator PCI function among the " + scanned + " functions in " + sysfsRoot
                            + "/bus/pci/devices (--all lists them)."
                    : "No AMD GPU among them.");
            out.println("Without an AMD GPU, amdvfio runs on its embedded simulated GPU: give --sim navi10"
                    + " (or vega10, navi21, navi31) to the commands that take a device.");
        } else {
            long ready = rows.stream().filter(r -> r.function.isAmdGpu() && r.readiness.ready()).count();
            out.printf("%d AMD GPU function(s), %d ready for VFIO.%s%n", amd, ready,
                    ready < amd ? " Bind one with: amdvfio bind <address>" : "");
        }
    }

    private void printJson(PrintWriter out, int scanned, long amd, List<Row> rows,
                           List<ArrivalDiagnostics.Finding> machine) throws Exception {
        List<Map<String, Object>> functions = new ArrayList<>();
        for (Row r : rows) {
            PciFunction f = r.function;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("address", f.address().toString());
            m.put("vendorId", String.format("0x%04x", f.vendorId()));
            m.put("deviceId", String.format("0x%04x", f.deviceId()));
            m.put("class", String.format("0x%06x", f.classCode()));
            m.put("className", PciClassNames.className(f.classCode()));
            m.put("amdGpu", f.isAmdGpu());
            m.put("driver", f.driver());
            m.put("iommuGroup", f.hasIommuGroup() ? f.iommuGroup() : null);
            m.put("vfioReady", r.readiness.ready());
            m.put("vfioStatus", r.readiness.status().name());
            m.put("vfioDetail", r.readiness.describe());
            m.put("diagnostics", Diagnostics.json(r.findings));
            functions.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("sysfs", sysfsRoot.toString());
        doc.put("functionsScanned", scanned);
        doc.put("amdGpus", amd);
        doc.put("functions", functions);
        doc.put("diagnostics", Diagnostics.json(machine));
        out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
    }

    private record Row(PciFunction function, VfioReadiness readiness, List<ArrivalDiagnostics.Finding> findings) {
    }
}
