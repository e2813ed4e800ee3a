package amdvfio.tools;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.sysfs.BindPolicy;
import amdvfio.vfio.sysfs.GroupBinder;
import amdvfio.vfio.sysfs.PciFunction;
import amdvfio.vfio.sysfs.Sysfs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code amdvfio unbind}: takes a GPU's IOMMU group off vfio-pci, clears the persistent
 * overrides, and gives each function back the driver it had before {@code bind} (or lets the
 * kernel choose). Refuses a function that is not on vfio-pci, or a group a process holds
 * through VFIO, unless {@code --force}.
 */
@Command(name = "unbind", mixinStandardHelpOptions = true,
        description = {"Take a GPU and its IOMMU group off vfio-pci and give each function back its previous driver.",
                "Refuses a function not on vfio-pci, or a group open through VFIO, unless --force."})
final class UnbindCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DeviceArgs device;

    @Option(names = "--no-reprobe", description = "Leave the functions without a driver.")
    boolean noReprobe;

    @Option(names = "--force", description = "Unbind even what the safety checks refuse.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        try (Testbench tb = device.open(spec, null)) {
            if (tb.simulated()) {
                return BindCommand.simulated(spec, json, "unbind");
            }
            HostTestbench h = (HostTestbench) tb;
            Sysfs sysfs = h.sysfs();
            PciAddress address = tb.address();
            PciFunction before = sysfs.function(address);
            List<GroupBinder.Change> plan = h.binder().planRestore(address, !noReprobe);
            if (force && !before.isBoundToVfio()) {
                plan = List.of(new GroupBinder.Change(before, before.driver(), noReprobe ? null : GroupBinder.KERNEL_CHOICE,
                        "--force: unbound from " + before.driver()));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (!json) {
                GroupReport.printPlan(out, before.hasIommuGroup() ? "IOMMU group " + before.iommuGroup() + ":" : "no IOMMU group:", plan);
            }
            List<BindPolicy.Refusal> refusals = h.policy().checkUnbind(address, plan);
            if (!force && !refusals.isEmpty()) {
                throw GroupReport.refused("unbind", refusals);
            }
            h.requireMovable(plan);
            List<GroupBinder.Change> done = before.isBoundToVfio()
                    ? h.binder().restore(address, !noReprobe, BindCommand.BIND_TIMEOUT)
                    : h.forceUnbind(address, !noReprobe);
            PciFunction after = sysfs.function(address);
            BindCommand.report(spec, json, address.toString(), before.driver(), after.driver(), sysfs.readiness(address), done);
        }
        return ExitCodes.OK;
    }
}
