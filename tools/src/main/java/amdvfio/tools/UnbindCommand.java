package amdvfio.tools;

import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/** {@code amdvfio unbind}: takes a function from vfio-pci and gives it back to its native driver. */
@Command(name = "unbind", mixinStandardHelpOptions = true,
        description = "Unbind a function from vfio-pci (or its driver) and let the kernel probe its native driver again.")
final class UnbindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--no-reprobe", description = "Leave the function without a driver.")
    boolean noReprobe;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        try (Testbench tb = device.open(spec, null)) {
            if (tb.simulated()) {
                return BindCommand.simulated(spec, json, "unbind");
            }
            Sysfs sysfs = ((HostTestbench) tb).sysfs();
            PciFunction before = sysfs.function(tb.address());
            String dir = tb.address().toString();
            if (before.driver() != null) {
                HostTestbench.requireWritable(sysfs.devicesDir().resolve(dir).resolve("driver/unbind"));
            }
            HostTestbench.requireWritable(sysfs.devicesDir().resolve(dir).resolve("driver_override"));
            sysfs.unbind(tb.address());
            if (!noReprobe) {
                try {
                    Files.writeString(sysfs.root().resolve("bus/pci/drivers_probe"), dir);
                } catch (IOException e) {
                    throw new CommandFailure(ExitCodes.FAILURE, "unbound, but the re-probe failed: " + e.getMessage()
                            + "; the function has no driver now (see dmesg)");
                }
            }
            PciFunction after = sysfs.function(tb.address());
            BindCommand.report(spec, json, dir, before.driver(), after.driver(), sysfs.readiness(tb.address()));
        }
        return ExitCodes.OK;
    }
}
