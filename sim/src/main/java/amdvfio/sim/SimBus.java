package amdvfio.sim;

import amdvfio.vfio.PciAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated PCI bus: slots by address, each holding at most one simulated AMD card.
 * {@link #open} is the simulator's counterpart of opening a vfio device.
 *
 * <pre>{@code
 * try (SimBus bus = new SimBus()) {
 *     PciAddress at = PciAddress.parse("0000:03:00.0");
 *     SimControl card = bus.plug(at, SimProfile.NAVI10, SimConfig.defaults());
 *     try (PciDevice dev = bus.open(at)) {
 *         ... program it ...
 *         card.surpriseRemove();   // registers now read 0xFFFFFFFF, REQ follows
 *     }
 * }
 * }</pre>
 *
 * Closing the bus tears every card down (threads stopped, VRAM released once its handles close).
 */
public final class SimBus implements AutoCloseable {

    private final Map<PciAddress, SimSlot> slots = new TreeMap<>();
    private final Set<SimPciDevice> openHandles = ConcurrentHashMap.newKeySet();

    /** The slot at {@code address}, created empty on first use. */
    public synchronized SimSlot slot(PciAddress address) {
        return slots.computeIfAbsent(address, SimSlot::new);
    }

    /** Plugs a new card into the (empty) slot at {@code address}. */
    public SimControl plug(PciAddress address, SimProfile profile, SimConfig config) {
        return slot(address).plug(profile, config);
    }

    /**
     * Opens the card at {@code address}.
     *
     * @throws SlotEmptyException if nothing is plugged there or it was removed
     */
    public SimPciDevice open(PciAddress address) {
        SimSlot s;
        synchronized (this) {
            s = slots.get(address);
        }
        if (s == null) {
            throw new SlotEmptyException(address, "no slot at that address");
        }
        SimPciDevice dev = s.open();
        openHandles.add(dev);
        dev.onClose(() -> openHandles.remove(dev));
        return dev;
    }

    /**
     * Every handle opened through this bus and not closed, each with the code that opened it: the
     * leak check after a test. A handle left open keeps its card from being released, and so the
     * card's threads (VRAM reaper, REQ repeater) alive — this names the handle instead.
     */
    public List<String> openHandles() {
        return openHandles.stream().map(SimPciDevice::describeWithOpener).sorted().toList();
    }

    /** Addresses whose slot holds a card now. */
    public synchronized List<PciAddress> devices() {
        List<PciAddress> out = new ArrayList<>();
        slots.forEach((a, s) -> {
            if (s.occupied()) {
                out.add(a);
            }
        });
        return out;
    }

    @Override
    public void close() {
        List<SimSlot> all;
        synchronized (this) {
            all = new ArrayList<>(slots.values());
        }
        all.forEach(SimSlot::shutdown);
    }
}
