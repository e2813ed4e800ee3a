package amdvfio.vfio.kernel;

import amdvfio.vfio.ConfigSpace;

import java.util.function.LongConsumer;

/**
 * Stops a function's DMA before its IOMMU mappings go: clear Bus Master Enable, then wait for
 * the transactions still in flight, as amdgpu's remove does ({@code pci_disable_device}, then
 * {@code pci_wait_for_pending_transaction}). Unmapping first would let a wedged card's
 * outstanding writes hit unmapped IOVAs: a spray of IOMMU faults in the host's log.
 *
 * <p>The wait follows drivers/pci/pci.c {@code pci_wait_for_pending()}: read PCIe Device Status
 * and poll its Transactions Pending bit, sleeping 100, 200 and 400 ms between looks. A function
 * that is gone (all-ones config) or has no PCIe capability is not waited for.
 */
public final class DmaQuiesce {

    static final int CAP_POINTER = 0x34;
    static final int STATUS_CAP_LIST = 1 << 4;
    static final int CAP_ID_EXP = 0x10;
    static final int EXP_DEVSTA = 0x0A;
    static final int EXP_DEVSTA_TRPND = 1 << 5;

    /** What happened, for the close path's log. */
    public enum Outcome { GONE, IDLE, DRAINED, STILL_PENDING }

    private DmaQuiesce() {
    }

    /** Clears bus mastering and waits for pending transactions; {@code sleepMillis} does the waiting. */
    static Outcome quiesce(ConfigSpace config, LongConsumer sleepMillis) {
        if (!config.isPresent()) {
            return Outcome.GONE;
        }
        config.setBusMaster(false);
        int exp = findCapability(config, CAP_ID_EXP);
        if (exp == 0) {
            return Outcome.IDLE;
        }
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                sleepMillis.accept((1L << (i - 1)) * 100);
            }
            int status = config.read16(exp + EXP_DEVSTA);
            if (status == 0xFFFF) {
                return Outcome.GONE;
            }
            if ((status & EXP_DEVSTA_TRPND) == 0) {
                return i == 0 ? Outcome.IDLE : Outcome.DRAINED;
            }
        }
        return Outcome.STILL_PENDING;
    }

    /** The config offset of capability {@code id}, or 0 (PCI 3.0 §6.7; at most 48 entries, as pci_find_capability). */
    static int findCapability(ConfigSpace config, int id) {
        if ((config.read16(ConfigSpace.STATUS) & STATUS_CAP_LIST) == 0) {
            return 0;
        }
        int at = config.read8(CAP_POINTER) & ~3;
        for (int ttl = 48; at >= 0x40 && ttl > 0; ttl--) {
            int header = config.read16(at);
            if ((header & 0xFF) == 0xFF) {
                return 0;
            }
            if ((header & 0xFF) == id) {
                return at;
            }
            at = (header >>> 8) & ~3;
        }
        return 0;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
