package amdvfio.tools;

import amdvfio.driver.client.GpuClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code amdvfio test}: ring test, IB test, copy/fill sweep and interrupt round trip, pass/fail per item. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Ring test and IB test per SDMA engine, copy/fill verification sweep, interrupt round trip; pass/fail per item.")
final class TestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Checks.Item> items = new ArrayList<>();
        String describe;
        try (Testbench tb = device.open(spec, null)) {
            describe = tb.describe();
            try (Session s = Session.open(tb); GpuClient c = s.gpu.openClient()) {
                items.add(new Checks.Item("probe", true, s.probeNanos, s.gpu.profile() + ", " + s.gpu.ringCount() + " SDMA engine(s)"));
                for (int r = 0; r < s.gpu.ringCount(); r++) {
                    items.add(Checks.ringTest(c, r));
                    items.add(Checks.ibTest(c, r));
                }
                items.addAll(Checks.sweep(c, s.gpu.ringCount(), 1234));
                items.add(Checks.interruptRoundTrip(c, 200));
            }
        }
        long failed = items.stream().filter(i -> !i.ok()).count();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", describe);
            doc.put("passed", items.size() - failed);
            doc.put("failed", failed);
            doc.put("items", items.stream().map(Checks.Item::json).toList());
            Report.json(out, doc);
        } else {
            out.printf("test on %s%n%n", describe);
            for (Checks.Item i : items) {
                out.printf("  %-4s  %-24s %10s  %s%n", i.ok() ? "PASS" : "FAIL", i.name(), Report.time(i.nanos()), i.detail());
            }
            out.printf("%n%d passed, %d failed%n", items.size() - failed, failed);
        }
        if (failed > 0) {
            throw new CommandFailure(ExitCodes.VERIFICATION_FAILED, failed + " item(s) failed; see the FAIL lines");
        }
        return ExitCodes.OK;
    }
}
