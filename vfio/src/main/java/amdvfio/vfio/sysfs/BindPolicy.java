package amdvfio.vfio.sysfs;

import amdvfio.vfio.PciAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code bind} and {@code unbind} refuse without {@code --force}, so that a typo cannot take
 * the host's network card, disk controller or console, and an active GPU is not pulled from under
 * its users (dpdk-devbind refuses an interface the routing table uses; we ask /proc who holds the
 * DRM nodes and /dev/kfd, and who holds the VFIO group).
 *
 * <ul>
 *   <li>the function asked for must be an AMD (0x1002) display (class 0x03) or accelerator (0x12) function;
 *   <li>every other member that would change driver must be an AMD function of the same slot
 *       (the card's HDMI audio, USB-C or UCSI functions) — anything else in the group means the
 *       platform groups the card with host devices (no ACS), and moving them would hurt the host;
 *   <li>no moving member may drive a display or have users;
 *   <li>{@code unbind} acts only on a function bound to vfio-pci.
 * </ul>
 */
public final class BindPolicy {

    /** One reason to refuse, and what to do about it. */
    public record Refusal(PciAddress address, String why, String whatToDo) {
        public String message() {
            return why + "; " + whatToDo;
        }
    }

    private final Sysfs sysfs;
    private final DeviceUsers users;

    public BindPolicy(Sysfs sysfs, DeviceUsers users) {
        this.sysfs = sysfs;
        this.users = users;
    }

    /** The refusals for binding {@code target} with {@code plan} ({@link GroupBinder#planBind}); empty when allowed. */
    public List<Refusal> checkBind(PciAddress target, List<GroupBinder.Change> plan) {
        List<Refusal> out = new ArrayList<>();
        PciFunction t = sysfs.function(target);
        notAnAmdGpu(t, "bind").ifPresent(out::add);
        for (GroupBinder.Change c : plan) {
            if (c.moves()) {
                checkMember(t, c.function(), "bind", out);
            }
        }
        return out;
    }

    /** The refusals for {@code unbind} of {@code target} with {@code plan} ({@link GroupBinder#planRestore}). */
    public List<Refusal> checkUnbind(PciAddress target, List<GroupBinder.Change> plan) {
        List<Refusal> out = new ArrayList<>();
        PciFunction t = sysfs.function(target);
        if (!t.isBoundToVfio()) {
            out.add(new Refusal(target, target + " is " + (t.driver() == null ? "bound to no driver" : "bound to " + t.driver())
                    + ", not vfio-pci", "unbind gives back functions on vfio-pci; nothing to do (--force unbinds it anyway)"));
            return out;
        }
        notAnAmdGpu(t, "unbind").ifPresent(out::add);
        if (t.hasIommuGroup()) {
            List<DeviceUsers.User> holders = users.groupUsers(t.iommuGroup());
            if (!holders.isEmpty()) {
                out.add(new Refusal(target, "IOMMU group " + t.iommuGroup() + " is open through VFIO by " + names(holders),
                        "stop " + (holders.size() == 1 ? "it" : "them") + " first (the unbind would wait until they let go)"));
            }
        }
        for (GroupBinder.Change c : plan) {
            if (c.moves() && !c.address().equals(target) && !sameCard(t, c.function())) {
                out.add(notSameCard(t, c.function(), "unbind"));
            }
        }
        return out;
    }

    private void checkMember(PciFunction target, PciFunction m, String verb, List<Refusal> out) {
        if (!m.address().equals(target.address()) && !sameCard(target, m)) {
            out.add(notSameCard(target, m, verb));
            return;
        }
        String display = users.drivesDisplay(m.address());
        if (display != null) {
            out.add(new Refusal(m.address(), m.address() + " drives a display: " + display,
                    "binding it to vfio-pci takes that display away; use --force if you mean it"));
        }
        List<DeviceUsers.User> u = users.users(m.address());
        if (!u.isEmpty()) {
            out.add(new Refusal(m.address(), m.address() + " (" + m.driver() + ") is in use by " + names(u),
                    "close " + (u.size() == 1 ? "it" : "them") + " first (or --force to unbind under them)"));
        }
    }

    private static java.util.Optional<Refusal> notAnAmdGpu(PciFunction f, String verb) {
        int base = f.classCode() >>> 16;
        if (f.vendorId() == 0x1002 && (base == 0x03 || base == 0x12)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Refusal(f.address(), f.address() + " is " + PciClassNames.describe(f)
                + ", not an AMD GPU", "amdvfio " + verb + "s AMD display and accelerator functions; check the address "
                + "with 'amdvfio list' (--force to " + verb + " it anyway)"));
    }

    private static Refusal notSameCard(PciFunction target, PciFunction m, String verb) {
        return new Refusal(m.address(), m.address() + " (" + PciClassNames.describe(m) + ", "
                + (m.driver() == null ? "no driver" : m.driver()) + ") shares IOMMU group " + target.iommuGroup()
                + " with " + target.address() + " and would " + (verb.equals("bind") ? "lose its driver" : "be unbound") + " too",
                "the platform does not isolate the card (no ACS); move it to another slot, or --force");
    }

    /** An AMD function in the same slot: the GPU's own audio, USB-C or UCSI function. */
    static boolean sameCard(PciFunction target, PciFunction m) {
        PciAddress a = target.address();
        PciAddress b = m.address();
        return m.vendorId() == 0x1002 && a.domain() == b.domain() && a.bus() == b.bus() && a.device() == b.device();
    }

    private static String names(List<DeviceUsers.User> users) {
        return users.stream().map(DeviceUsers.User::toString).collect(Collectors.joining(", "));
    }
}
