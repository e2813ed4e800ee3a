package amdvfio.tools;

import amdvfio.sim.SimBus;
import amdvfio.sim.SimConfig;
import amdvfio.sim.SimControl;
import amdvfio.sim.SimProfile;
import amdvfio.sim.SimSlot;
import amdvfio.driver.reset.CardPolicy;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A simulated card in a slot of an embedded {@link SimBus}; removals are {@link SimControl} injections. */
final class SimTestbench implements Testbench {

    /** Where the simulated card sits unless an address is given: bus 3, as an eGPU behind a bridge. */
    static final PciAddress DEFAULT_ADDRESS = PciAddress.parse("0000:03:00.0");

    private final SimBus bus = new SimBus();
    private final SimSlot slot;
    private final SimProfile profile;
    private final SimConfig config;
    private final List<SimControl> removed = new ArrayList<>();
    private SimControl card;
    private final CardPolicy policy;

    SimTestbench(SimProfile profile, PciAddress address, SimConfig config, CardPolicy policy) {
        this.profile = profile;
        this.policy = policy;
        this.config = config;
        this.slot = bus.slot(address);
        this.card = slot.plug(profile, config);
    }

    /** The profile named {@code name} (vega10, navi10, navi21, navi31), or null. */
    static SimProfile profile(String name) {
        for (SimProfile p : SimProfile.ALL) {
            if (p.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        return null;
    }

    static String profileNames() {
        return String.join(", ", SimProfile.ALL.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
    }

    SimControl control() {
        return card;
    }

    SimProfile profile() {
        return profile;
    }

    @Override
    public CardPolicy cardPolicy() {
        return policy;
    }

    @Override
    public PciAddress address() {
        return slot.address();
    }

    @Override
    public boolean simulated() {
        return true;
    }

    @Override
    public String describe() {
        return "simulated " + profile.name() + " at " + slot.address();
    }

    @Override
    public int iommuGroup() {
        return -1;
    }

    @Override
    public PciDevice open() {
        return slot.open();
    }

    @Override
    public void remove(Removal how) {
        switch (how) {
            case ORDERLY, UNBIND -> card.requestRemoval();
            case SURPRISE -> card.surpriseRemove();
            case AER -> card.aerError(true);
        }
    }

    @Override
    public void bringBack(Duration timeout) {
        synchronized (this) {
            removed.add(card);
            card = slot.occupied() ? slot.replug() : slot.plug(profile, config);
        }
    }

    /** Unplugs the card for good (a watch cycle's removal is followed by an arrival later). */
    void unplugQuietly() {
        if (slot.occupied()) {
            card.requestRemoval();
        }
    }

    boolean occupied() {
        return slot.occupied();
    }

    @Override
    public synchronized String leftovers() {
        StringBuilder sb = new StringBuilder();
        for (SimControl c : removed) {
            if (c.openHandles() > 0) {
                sb.append(c.openHandles()).append(" open handle(s) on a removed card; ");
            }
            long alive = c.threads().stream().filter(Thread::isAlive).count();
            if (alive > 0) {
                sb.append(alive).append(" model thread(s) of a removed card alive; ");
            }
        }
        // Checked cards are done with: keep the list short over long loops.
        removed.removeIf(c -> c.openHandles() == 0 && c.threads().stream().noneMatch(Thread::isAlive));
        return sb.toString();
    }

    @Override
    public void close() {
        bus.close();
    }
}
