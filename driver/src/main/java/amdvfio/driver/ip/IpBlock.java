package amdvfio.driver.ip;

/**
 * One hardware IP block's driver, with amdgpu's lifecycle hooks ({@code struct amd_ip_funcs},
 * {@code include/amd_shared.h}). {@link IpBlocks} calls them in order.
 */
public interface IpBlock {

    /** amdgpu's name for this block ("sdma_v5_0"), used in logs and errors. */
    String name();

    /** Sets up driver state and allocates memory; no hardware access. */
    void swInit();

    /** Programs the hardware; may fail with a message naming what did not respond. */
    void hwInit();

    /** Device lost or closing: stop work and interrupts; the hardware may be gone, so only touch it if present. */
    void earlyFini();

    /** Last reference dropped: free memory and bookkeeping; no hardware access. */
    void lateFini();
}
