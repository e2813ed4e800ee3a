package amdvfio.sim;

import amdvfio.sim.psp.PspModelFiles;
import amdvfio.sim.psp.SimColdBoot;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one simulated card is built and paced. Everything has a default ({@link #defaults()});
 * change fields with the withers.
 *
 * @param vramBytes           VRAM size (a sparse memfd: large sizes cost nothing until touched);
 *                            a multiple of 1 MiB, at least 64 MiB
 * @param smallBar            BAR0 is a 256 MiB window onto the start of VRAM ("small BAR")
 *                            instead of the whole VRAM
 * @param strict              flag what real hardware punishes (see MODEL.md "Strict mode")
 * @param linkBytesPerSecond  pace host↔VRAM traffic to this rate (0 = as fast as the host allows);
 *                            {@link #THUNDERBOLT3} ≈ an eGPU link
 * @param requestInterval     how often REQ is re-signalled while a removal waits (vfio: 10 s)
 * @param surpriseRequestDelay after a surprise removal, when REQ follows (pciehp removing the device)
 * @param f32PollInterval     wptr poll period when F32 wptr polling is enabled
 * @param fbBase              MC address of VRAM as the VBIOS programs MC_VM_FB_LOCATION_BASE
 * @param truncateVramOnRelease when a removed device is finally released, cut its VRAM memfd to zero
 *                            so stale client mappings fault as they do once vfio zaps them
 * @param coldBoot            null: the card starts warm (see {@link #withWarmStart()}); else it starts
 *                            cold at power-up, after every re-plug and after every mode1 reset, and
 *                            the driver must boot it through the PSP with the real firmware files
 * @param coldOnlyWhereInstalled true for {@link #defaults()}: a profile whose firmware files are not
 *                            installed starts warm; false once a test asked for a cold card
 *                            explicitly, so missing files are then an error naming the file
 */
public record SimConfig(long vramBytes, boolean smallBar, boolean strict, long linkBytesPerSecond,
                        Duration requestInterval, Duration surpriseRequestDelay, Duration f32PollInterval,
                        long fbBase, boolean truncateVramOnRelease, SimColdBoot coldBoot,
                        boolean coldOnlyWhereInstalled) {

    /** Thunderbolt 3 PCIe x4 as eGPUs see it: about 2.7 GB/s host↔VRAM. */
    public static final long THUNDERBOLT3 = 2_700_000_000L;

    public SimConfig {
        if (vramBytes < (64L << 20) || vramBytes % (1 << 20) != 0) {
            throw new IllegalArgumentException("VRAM size must be a multiple of 1 MiB and >= 64 MiB: " + vramBytes);
        }
        if (fbBase % (1L << 24) != 0) {
            throw new IllegalArgumentException(String.format("FB base 0x%x is not 16 MiB aligned", fbBase));
        }
    }

    /**
     * A card as it comes out of the box: cold, as real cards are at power-up, wherever the
     * firmware files its PSP model checks against are installed ({@value #FIRMWARE_ENV}, else
     * {@value #FIRMWARE_DIR}); warm otherwise, so a machine without linux-firmware still runs
     * every command.
     */
    public static SimConfig defaults() {
        return new SimConfig(512L << 20, false, true, 0, Duration.ofSeconds(10), Duration.ofMillis(100),
                Duration.ofNanos(100_000), 0x0000_0080_0000_0000L, true, SimColdBoot.at(systemFirmwareDir()), true);
    }

    /** {@link #defaults()} started warm: for tests about something other than the boot. */
    public static SimConfig warm() {
        return defaults().withWarmStart();
    }

    public static final String FIRMWARE_ENV = "AMDVFIO_FIRMWARE_DIR";
    public static final String FIRMWARE_DIR = "/lib/firmware/amdgpu";
    /** The installed firmware: {@value #FIRMWARE_ENV} if set, else {@value #FIRMWARE_DIR}. */
    public static Path systemFirmwareDir() {
        String env = System.getenv(FIRMWARE_ENV);
        return Path.of(env != null && !env.isBlank() ? env : FIRMWARE_DIR);
    }

    /** Whether a card of {@code profile} built from this config starts cold. */
    public boolean startsCold(SimProfile profile) {
        if (coldBoot == null) {
            return false;
        }
        if (!coldOnlyWhereInstalled) {
            return true;
        }
        return PspModelFiles.of(profile.name()).installedIn(coldBoot.firmwareDir());
    }

    public SimConfig withVram(long bytes) {
        return new SimConfig(bytes, smallBar, strict, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, coldBoot, coldOnlyWhereInstalled);
    }

    public SimConfig withSmallBar(boolean small) {
        return new SimConfig(vramBytes, small, strict, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, coldBoot, coldOnlyWhereInstalled);
    }

    public SimConfig withStrict(boolean s) {
        return new SimConfig(vramBytes, smallBar, s, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, coldBoot, coldOnlyWhereInstalled);
    }

    public SimConfig withLink(long bytesPerSecond) {
        return new SimConfig(vramBytes, smallBar, strict, bytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, coldBoot, coldOnlyWhereInstalled);
    }

    public SimConfig withRequestInterval(Duration d) {
        return new SimConfig(vramBytes, smallBar, strict, linkBytesPerSecond, d, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, coldBoot, coldOnlyWhereInstalled);
    }

    public SimConfig withSurpriseRequestDelay(Duration d) {
        return new SimConfig(vramBytes, smallBar, strict, linkBytesPerSecond, requestInterval, d,
                f32PollInterval, fbBase, truncateVramOnRelease, coldBoot, coldOnlyWhereInstalled);
    }

    public SimConfig withTruncateVramOnRelease(boolean t) {
        return new SimConfig(vramBytes, smallBar, strict, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, t, coldBoot, coldOnlyWhereInstalled);
    }

    /** A card that starts cold (see {@link SimColdBoot}); only profiles with a cold model take it. */
    public SimConfig withColdBoot(SimColdBoot c) {
        java.util.Objects.requireNonNull(c, "coldBoot: use withWarmStart() for a warm card");
        return new SimConfig(vramBytes, smallBar, strict, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, c, false);
    }

    /**
     * Cold wherever {@code dir} holds the profile's files (as {@link #defaults()} does with the
     * system's), warm elsewhere; the modelled delays stay as they were.
     */
    public SimConfig withFirmwareDir(Path dir) {
        SimColdBoot c = coldBoot == null ? SimColdBoot.at(dir) : new SimColdBoot(dir, coldBoot.ifwiDelay(), coldBoot.pspDelay());
        return new SimConfig(vramBytes, smallBar, strict, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, c, true);
    }

    /**
     * A card whose firmware already runs. On Navi31 that is the card as an earlier run of amdvfio
     * left it on a clean close (sOS alive, PMFW answering, the run marker saying "clean"), which the
     * driver reuses without firmware files; the other profiles are warm as before their cold model.
     */
    public SimConfig withWarmStart() {
        return new SimConfig(vramBytes, smallBar, strict, linkBytesPerSecond, requestInterval, surpriseRequestDelay,
                f32PollInterval, fbBase, truncateVramOnRelease, null, true);
    }

    /** BAR0 size: the whole VRAM rounded up to a power of two, or 256 MiB with a small BAR. */
    public long bar0Bytes() {
        long full = Long.highestOneBit(vramBytes);
        if (full < vramBytes) {
            full <<= 1;
        }
        return smallBar ? Math.min(256L << 20, full) : full;
    }
}
