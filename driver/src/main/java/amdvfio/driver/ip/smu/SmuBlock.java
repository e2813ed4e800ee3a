package amdvfio.driver.ip.smu;

import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlock;
import amdvfio.driver.ip.gmc.GmcBlock;

import java.lang.System.Logger.Level;
import java.util.function.BooleanSupplier;

/**
 * The SMU block ({@code smu_v13_0_0}, {@code smu_v11_0}, Vega10's powerplay): after the PSP has
 * loaded the PMFW, the driver-table and feature init that amdgpu's {@code smu_smc_hw_setup} and
 * tinygrad's AM_SMU do and spec amd-cold-boot.md §6 step 17 recommends: GetSmuVersion,
 * SetDriverDramAddrHigh/Low (a VRAM table the PMFW exchanges data through), EnableAllSmuFeatures.
 * On a card whose PMFW does not run (cold, and the PSP block that loads it not in the pipeline),
 * it records why and does nothing; the ring tests then tell whether the card can work.
 *
 * <p>Vega10's powerplay enables features by mask from its pptable, which this driver does not
 * parse: there only the version and the driver table are set.
 */
public final class SmuBlock implements IpBlock {

    /** amdgpu sizes the driver table to its largest SMU table (PPTable, metrics: tens of KiB). */
    static final long DRIVER_TABLE_BYTES = 64 << 10;

    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final SmuMailbox mailbox;
    private final BooleanSupplier pmfwRunning;
    private long tableOffset = -1;
    private volatile SmuReport report = SmuReport.notRunning("not initialised yet");

    /**
     * @param pmfwRunning whether the card's PMFW runs by the time this block initialises (the
     *                    card-state step knows: warm and reused, or loaded by the PSP)
     */
    public SmuBlock(DeviceContext ctx, GmcBlock gmc, SmuMailbox mailbox, BooleanSupplier pmfwRunning) {
        this.ctx = ctx;
        this.gmc = gmc;
        this.mailbox = mailbox;
        this.pmfwRunning = pmfwRunning;
    }

    @Override
    public String name() {
        return mailbox.messages().block();
    }

    @Override
    public void swInit() {
        // the driver table is carved from VRAM in hwInit, once GMC has its allocator
    }

    @Override
    public void hwInit() {
        if (!pmfwRunning.getAsBoolean()) {
            report = SmuReport.notRunning("no PMFW runs on this cold card (the PSP loads it, LOAD_IP_FW type SMU)");
            ctx.log().log(Level.INFO, "{0}: {1}: {2}", ctx.device().address(), name(), report.note());
            return;
        }
        SmuMessages m = mailbox.messages();
        int version = mailbox.send("GetSmuVersion", m.getSmuVersion(), 0);
        tableOffset = gmc.vramAllocator().allocate(DRIVER_TABLE_BYTES, DRIVER_TABLE_BYTES);
        long table = gmc.vramGpuAddress(tableOffset);
        mailbox.send("SetDriverDramAddrHigh", m.setDriverDramAddrHigh(), (int) (table >>> 32));
        mailbox.send("SetDriverDramAddrLow", m.setDriverDramAddrLow(), (int) table);
        boolean features = m.allowedMaskLow() >= 0;
        if (features) {
            mailbox.send("EnableAllSmuFeatures", m.enableFeatures(), 0);
        }
        report = new SmuReport(true, version, table, features,
                features ? null : "features are enabled per pptable mask on Vega10; not done");
        ctx.log().log(Level.INFO, "{0}: {1}: PMFW {2}, driver table at MC 0x{3}", ctx.device().address(), name(),
                report.version(), Long.toHexString(table));
    }

    @Override
    public void earlyFini() {
        // the PMFW keeps running: a later run of this driver may reuse the card as it is
    }

    @Override
    public void lateFini() {
        if (tableOffset >= 0) {
            gmc.vramAllocator().free(tableOffset);
            tableOffset = -1;
        }
    }

    public SmuReport report() {
        return report;
    }

    public SmuMailbox mailbox() {
        return mailbox;
    }
}
