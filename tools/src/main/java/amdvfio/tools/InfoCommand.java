package amdvfio.tools;

import amdvfio.amdgpu.HwIp;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.asic.IpVersion;
import amdvfio.driver.asic.Probe;
import amdvfio.driver.boot.BootReport;
import amdvfio.driver.boot.LoadedFirmware;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.vfio.IrqInfo;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.sysfs.ArrivalDiagnostics;
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

/**
 * {@code amdvfio info}: what the device is, read the way the driver's probe reads it (identify,
 * RCC_CONFIG_MEMSIZE, discovery) without bringing any engine up; with {@code --boot}, also the
 * driver's whole bring-up of the card and what it found and loaded.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "ASIC, profile, IP versions and register bases (from discovery), BARs, VRAM and visible aperture, "
                + "IOMMU group, IRQ types, the VFIO interface in use.")
final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(names = "--boot", description = {"Also bring the card up as the driver does (classify it; reset or cold boot it;",
            "ring and IB tests) and show each boot step with its time, the firmware loaded, and whether the card was",
            "cold, warm or reset. The card is left cleanly shut down, so the next run can reuse it."})
    boolean boot;

    @Override
    public Integer call() {
        Map<String, Object> doc = new LinkedHashMap<>();
        List<ArrivalDiagnostics.Finding> findings = new ArrayList<>();
        try (Testbench tb = device.open(spec, null); PciDevice dev = openExplaining(tb)) {
            var profile = Probe.identify(dev);
            Probe.forbidUnsafeBusReset(profile, dev);
            dev.config().setBusMaster(false);
            RegisterIo regs = new RegisterIo(dev.mmio(RegionInfo.BAR5));
            long vram = Probe.vramSize(regs, dev);
            IpBases bases = Probe.bases(profile, regs, dev.mmio(RegionInfo.BAR0), vram);
            doc.put("address", dev.address().toString());
            doc.put("ids", String.format("%04x:%04x", dev.vendorId(), dev.deviceId()));
            doc.put("asic", profile.name());
            doc.put("profile", profile.toString());
            doc.put("basesFrom", profile.usesDiscovery() ? "IP discovery table" : "fixed (no discovery on this ASIC)");
            List<Map<String, Object>> ips = new ArrayList<>();
            for (HwIp ip : HwIp.values()) {
                if (!bases.has(ip)) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("ip", ip.name());
                IpVersion v = bases.version(ip);
                m.put("version", v == null ? null : v.major() + "." + v.minor() + "." + v.revision());
                List<String> segs = new ArrayList<>();
                for (int seg = 0; seg < 8; seg++) {
                    try {
                        segs.add(String.format("0x%x", bases.base(ip, seg)));
                    } catch (IllegalStateException end) {
                        break;
                    }
                }
                m.put("bases", segs);
                ips.add(m);
            }
            doc.put("ips", ips);
            List<Map<String, Object>> bars = new ArrayList<>();
            for (int i = 0; i <= RegionInfo.ROM; i++) {
                RegionInfo r = dev.region(i);
                if (r.size() == 0) {
                    continue;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("region", i == RegionInfo.ROM ? "ROM" : "BAR" + i);
                m.put("bytes", r.size());
                m.put("size", human(r.size()));
                m.put("mappable", r.canMap(0, Math.min(r.size(), 4096)));
                bars.add(m);
            }
            doc.put("bars", bars);
            doc.put("vramBytes", vram);
            doc.put("visibleVramBytes", Math.min(vram, dev.region(RegionInfo.BAR0).size()));
            doc.put("iommuGroup", tb.iommuGroup() < 0 ? null : tb.iommuGroup());
            List<String> irqs = new ArrayList<>();
            for (IrqType t : IrqType.values()) {
                IrqInfo info = dev.irqInfo(t);
                if (info.available()) {
                    irqs.add(t.name() + (info.count() > 1 ? "×" + info.count() : ""));
                }
            }
            doc.put("irqs", irqs);
            doc.put("vfio", dev.backend());
            doc.put("resetMethod", tb instanceof HostTestbench h
                    ? h.sysfs().attribute(dev.address(), "reset_method").orElse(null) : null);
            doc.put("reset", tb.simulated() ? "simulated (the model's reset)" : dev.resetPlan());
            if (tb instanceof HostTestbench h) {
                ArrivalDiagnostics d = new ArrivalDiagnostics(h.sysfs());
                findings.addAll(d.machine());
                findings.addAll(d.function(dev.address(), vram));
            }
            doc.put("diagnostics", Diagnostics.json(findings));
        }
        BootReport bootReport = null;
        if (boot) {
            try (Testbench tb = device.open(spec, null); Session s = Session.open(tb)) {
                bootReport = s.gpu.bootReport();
                doc.put("boot", BootSummary.json(bootReport));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Report.json(out, doc);
            return ExitCodes.OK;
        }
        out.printf("%-14s %s (%s)%n", "device", doc.get("address"), doc.get("ids"));
        out.printf("%-14s %s — %s%n", "ASIC", doc.get("asic"), doc.get("profile"));
        out.printf("%-14s %s%n", "IP bases", doc.get("basesFrom"));
        for (Object o : (List<?>) doc.get("ips")) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.printf("  %-12s %-8s %s%n", m.get("ip"), m.get("version") == null ? "-" : m.get("version"), m.get("bases"));
        }
        for (Object o : (List<?>) doc.get("bars")) {
            Map<?, ?> m = (Map<?, ?>) o;
            out.printf("%-14s %s%s%n", m.get("region"), m.get("size"), Boolean.TRUE.equals(m.get("mappable")) ? ", mappable" : "");
        }
        out.printf("%-14s %s, CPU-visible %s%n", "VRAM", human((Long) doc.get("vramBytes")), human((Long) doc.get("visibleVramBytes")));
        out.printf("%-14s %s%n", "IOMMU group", doc.get("iommuGroup") == null ? "none (simulated)" : doc.get("iommuGroup"));
        out.printf("%-14s %s%n", "IRQs", String.join(", ", (List<String>) doc.get("irqs")));
        out.printf("%-14s %s%n", "VFIO", doc.get("vfio"));
        out.printf("%-14s kernel: %s; driver: %s%n", "reset", doc.get("resetMethod") == null ? "-" : doc.get("resetMethod"),
                doc.get("reset"));
        if (bootReport != null) {
            out.printf("%-14s %s%n", "card", BootSummary.line(bootReport));
            for (String line : BootSummary.stepLines(bootReport)) {
                out.printf("  %s%n", line);
            }
            for (LoadedFirmware f : bootReport.firmware()) {
                out.printf("  %-12s %-26s 0x%08x%n", f.ucode(), f.file(), f.version());
            }
        }
        Diagnostics.print(out, findings);
        return ExitCodes.OK;
    }

    /** Opens the device; when that fails on real hardware, prints what stops it first (unauthorized Thunderbolt, BARs...). */
    private PciDevice openExplaining(Testbench tb) {
        try {
            return tb.open();
        } catch (RuntimeException e) {
            if (tb instanceof HostTestbench h && !json) { // under --json stderr carries only the error object
                ArrivalDiagnostics d = new ArrivalDiagnostics(h.sysfs());
                List<ArrivalDiagnostics.Finding> f = new ArrayList<>(d.machine());
                f.addAll(d.function(tb.address(), 0));
                Diagnostics.print(spec.commandLine().getErr(), f);
            }
            throw e;
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1 << 20) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
