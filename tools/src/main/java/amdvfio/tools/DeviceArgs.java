package amdvfio.tools;

import amdvfio.driver.reset.CardPolicy;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimProfile;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.Sysfs;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * The device every command works on: a real function by PCI address, or the simulated GPU with
 * {@code --sim <asic>} (optionally at a given address). Shared by the commands as a picocli mixin.
 */
final class DeviceArgs {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS",
            description = "PCI address of a real device bound to vfio-pci, e.g. 0000:03:00.0 (see: amdvfio list).")
    String address;

    @Option(names = "--sim", paramLabel = "ASIC",
            description = "Use the embedded simulated GPU: vega10, navi10, navi21 or navi31.")
    String sim;

    @Option(names = "--firmware-dir", paramLabel = "DIR",
            description = {"Where amdgpu's firmware files are when the card must be booted (default: $AMDVFIO_FIRMWARE_DIR,",
                    "else /lib/firmware/amdgpu, from Debian's firmware-amd-graphics). The simulated card starts cold",
                    "when its files are there, and its PSP checks the boot against them."})
    Path firmwareDir;

    /** For tests: a fake sysfs tree. Commands read /sys. */
    @Option(names = "--sysfs-root", hidden = true, defaultValue = "/sys")
    Path sysfsRoot;

    /**
     * Builds the testbench. {@code defaultSim} (e.g. "navi10") is used when neither an address nor
     * {@code --sim} is given; null makes one of them required.
     */
    Testbench open(CommandSpec spec, String defaultSim) {
        return open(spec, defaultSim, SimConfig.defaults());
    }

    /** As {@link #open(CommandSpec, String)}, but a real function may be absent yet (watch waits for it). */
    Testbench openAwaitingArrival(CommandSpec spec) {
        if (sim == null && address != null) {
            Sysfs sysfs = new Sysfs(sysfsRoot);
            return new HostTestbench(sysfs, sysfs.resolve(address), false, policy());
        }
        return open(spec, null);
    }

    Testbench open(CommandSpec spec, String defaultSim, SimConfig config) {
        String asic = sim;
        if (asic == null && address == null) {
            if (defaultSim == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give the PCI address of a device (see: amdvfio list), or --sim navi10 for the simulated GPU");
            }
            asic = defaultSim;
        }
        if (asic == null) {
            Sysfs sysfs = new Sysfs(sysfsRoot);
            return new HostTestbench(sysfs, sysfs.resolve(address), true, policy()); // the short form only where it is unique
        }
        PciAddress at = address == null ? null : PciAddress.parse(address);
        SimProfile p = SimTestbench.profile(asic);
        if (p == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown ASIC '" + asic
                    + "' for --sim; choose one of " + SimTestbench.profileNames());
        }
        SimConfig sim = firmwareDir == null ? config : config.withFirmwareDir(firmwareDir);
        return new SimTestbench(p, at == null ? SimTestbench.DEFAULT_ADDRESS : at, sim, policy());
    }

    private CardPolicy policy() {
        return firmwareDir == null ? CardPolicy.DEFAULT : CardPolicy.DEFAULT.withFirmwareDir(firmwareDir);
    }
}
