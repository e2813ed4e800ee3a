package amdvfio.sim.smu;

import amdvfio.sim.regs.RegisterFile;

/**
 * The SMU (MP1) of one simulated card: its PMFW ({@link SmuFirmware}) behind the driver mailbox
 * (C2PMSG_66/82/90) and, on MP1 13.0.0, the debug mailbox (C2PMSG_75/53/54), with the response
 * codes of spec amd-cold-boot.md §2.1, §9.6 and {@code smu_cmn.c}.
 *
 * <p>The mailboxes answer only while a PMFW runs: after power-up, after a reset, and on a wedged
 * card nothing answers and the response register stays as the driver left it (amdgpu then times
 * out with -ETIME). The PSP model loads the PMFW ({@link #loadPmfw}); tests that start a card warm
 * do the same.
 *
 * <p>Threading: every method takes the register file's lock, the lock the mailbox hooks run under.
 */
public final class Smu {

    private final RegisterFile regs;
    private final SmuDialect dialect;
    private final SmuFirmware firmware;
    private final SmuMailbox regular;
    private final SmuMailbox debug;
    private final Runnable mode1;
    private boolean hung;
    private int latencyPolls;
    private long messages;

    /**
     * @param mp1Bases MP1's segment bases (dwords)
     * @param mode1   what a mode1 reset does to the card (the card's reset model)
     */
    public Smu(RegisterFile regs, int[] mp1Bases, SmuDialect dialect, Runnable mode1) {
        this.regs = regs;
        this.dialect = dialect;
        this.firmware = new SmuFirmware(dialect);
        this.mode1 = mode1;
        this.regular = new SmuMailbox(regs, mp1Bases, dialect.regular(), this, firmware::execute);
        this.debug = dialect.debug() == null ? null
                : new SmuMailbox(regs, mp1Bases, dialect.debug(), this, firmware::executeDebug);
    }

    /** Hooks the mailbox registers into the register file. */
    public void install() {
        regular.install();
        if (debug != null) {
            debug.install();
        }
    }

    public SmuDialect dialect() {
        return dialect;
    }

    // ------------------------------------------------------------------ the PSP's and the card's side

    /** The PSP loaded the PMFW (or a test starts the card warm): the mailboxes answer from now on. */
    public void loadPmfw(int version) {
        synchronized (regs) {
            firmware.load(version);
            hung = false;
        }
    }

    /** Loads the PMFW the Debian firmware file carries (spec §3.3). */
    public void loadPmfw() {
        loadPmfw(dialect.pmfwVersion());
    }

    /** Reset or power loss: the PMFW is gone; messages in flight are dropped. */
    public void powerLost() {
        synchronized (regs) {
            firmware.powerLost();
            regular.powerLost();
            if (debug != null) {
                debug.powerLost();
            }
            hung = false;
        }
    }

    // ------------------------------------------------------------------ test knobs and observation

    /** The PMFW stops answering (a hung SMU): messages are taken, no response is ever posted. */
    public void hang() {
        synchronized (regs) {
            hung = true;
        }
    }

    /** How many response polls each message takes before its answer is posted (0: the first poll). */
    public void latencyPolls(int polls) {
        if (polls < 0) {
            throw new IllegalArgumentException("latency must be >= 0 polls: " + polls);
        }
        synchronized (regs) {
            latencyPolls = polls;
        }
    }

    public boolean running() {
        synchronized (regs) {
            return firmware.running();
        }
    }

    public int pmfwVersion() {
        synchronized (regs) {
            return firmware.version();
        }
    }

    /** The driver table's MC address as the driver told the PMFW, or -1 if not (fully) told. */
    public long driverTableAddress() {
        synchronized (regs) {
            return firmware.driverTableAddress();
        }
    }

    public long enabledFeatures() {
        synchronized (regs) {
            return firmware.enabledFeatures();
        }
    }

    public boolean preparedForUnload() {
        synchronized (regs) {
            return firmware.preparedForUnload();
        }
    }

    /** Messages the PMFW has executed since the card was built. */
    public long messages() {
        synchronized (regs) {
            return messages;
        }
    }

    // ------------------------------------------------------------------ mailbox callbacks (under the lock)

    boolean answering() {
        return firmware.running() && !hung;
    }

    int latencyPolls() {
        return latencyPolls;
    }

    void countMessage() {
        messages++;
    }

    void resetCard() {
        mode1.run();
    }
}
