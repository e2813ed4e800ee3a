package amdvfio.sim;

import amdvfio.vfio.PciAddress;

/**
 * A PCI slot at a fixed address that holds at most one simulated card. A re-plug puts a fresh
 * card (new VRAM, reset registers) at the same address; handles on the old one stay valid
 * objects that see a removed device. Thread-safe.
 */
public final class SimSlot {

    private final PciAddress address;
    private SimGpu gpu;
    private SimProfile lastProfile;
    private SimConfig lastConfig;

    SimSlot(PciAddress address) {
        this.address = address;
    }

    public PciAddress address() {
        return address;
    }

    /** Inserts a new card; the slot must be empty. */
    public synchronized SimControl plug(SimProfile profile, SimConfig config) {
        if (gpu != null) {
            throw new IllegalStateException("slot " + address + " already holds a " + gpu.profile().name()
                    + "; unplug or replug it");
        }
        SimGpu g = new SimGpu(address, profile, config);
        g.onRemoved(() -> detach(g));
        gpu = g;
        lastProfile = profile;
        lastConfig = config;
        return new SimControl(g);
    }

    private synchronized void detach(SimGpu g) {
        if (gpu == g) {
            gpu = null;
        }
    }

    /** Opens a handle on the card in the slot (a vfio device open). */
    public SimPciDevice open() {
        SimGpu g;
        synchronized (this) {
            g = gpu;
        }
        if (g == null) {
            throw new SlotEmptyException(address, lastProfile == null ? "nothing was plugged"
                    : "the " + lastProfile.name() + " was removed");
        }
        return new SimPciDevice(g);
    }

    /** The control of the card now in the slot. */
    public synchronized SimControl control() {
        if (gpu == null) {
            throw new SlotEmptyException(address, "the slot is empty");
        }
        return new SimControl(gpu);
    }

    public synchronized boolean occupied() {
        return gpu != null;
    }

    /**
     * Pulls the card out (a surprise removal, if it was there) and plugs a fresh one of the same
     * profile and configuration at the same address.
     */
    public SimControl replug() {
        SimGpu old;
        synchronized (this) {
            old = gpu;
            if (old == null && lastProfile == null) {
                throw new SlotEmptyException(address, "nothing was plugged before");
            }
        }
        if (old != null) {
            old.surpriseRemove();
        }
        synchronized (this) {
            gpu = null;
            return plug(lastProfile, lastConfig);
        }
    }

    /** Removes the card at once, as the test's end: open handles see a removed device. */
    synchronized void shutdown() {
        if (gpu != null) {
            SimGpu g = gpu;
            gpu = null;
            g.shutdown();
        }
    }
}
