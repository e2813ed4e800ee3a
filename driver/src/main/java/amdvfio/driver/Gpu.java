package amdvfio.driver;

import amdvfio.driver.asic.AsicProfile;
import amdvfio.driver.asic.IpBases;
import amdvfio.driver.asic.Probe;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.ip.DeviceContext;
import amdvfio.driver.ip.IpBlocks;
import amdvfio.driver.ip.gmc.GmcBlock;
import amdvfio.driver.ip.ih.IhBlock;
import amdvfio.driver.ip.nbio.NbioBlock;
import amdvfio.driver.ip.sdma.SdmaBlock;
import amdvfio.driver.reg.RegisterIo;
import amdvfio.driver.sched.RingScheduler;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.unplug.DummyPolicy;
import amdvfio.vfio.unplug.MappingTable;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An AMD GPU driven by this driver: the {@code amdgpu_device} analogue. {@link #open} probes and
 * brings the device up; clients ({@link #openClient()}) allocate buffers and submit jobs.
 *
 * <pre>{@code
 * try (Gpu gpu = Gpu.open(device); GpuClient client = gpu.openClient()) {
 *     BufferObject src = client.allocate(Domain.GTT, 1 << 20);
 *     BufferObject dst = client.allocate(Domain.VRAM, 1 << 20);
 *     client.map(src).fill(ValueLayout.JAVA_BYTE, (byte) 7);
 *     Fence f = client.submit(Job.builder().copy(src, 0, dst, 0, 1 << 20).build());
 *     client.await(f, Duration.ofSeconds(1));
 * }
 * }</pre>
 *
 * <p>Lifetime: {@link #close()} stops the hardware at once (early fini: queued and running jobs
 * fail with DEVICE_LOST); memory is released and the PCI device closed (late fini) once the last
 * client has closed too. The Gpu owns {@code device} from {@code open} on.
 *
 * <p>Threading: thread-safe.
 */
public final class Gpu implements AutoCloseable {

    /**
     * Tunables.
     *
     * @param jobTimeout      a job with no progress for this long is declared hung (amdgpu: 10 s for SDMA)
     * @param fallbackPeriod  period of the fence fallback poll and timeout check (amdgpu: HZ/2)
     * @param testTimeout     how long the ring and IB tests wait before declaring the firmware absent
     * @param packetLimit     split COPY/FILL at this many bytes when below the profile's maximum (0: the profile's)
     */
    public record Options(Duration jobTimeout, Duration fallbackPeriod, Duration testTimeout, long packetLimit) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofMillis(500), Duration.ofSeconds(2), 0);
    }

    private final PciDevice device;
    private final AsicProfile profile;
    private final DeviceContext ctx;
    private final GmcBlock gmc;
    private final SdmaBlock sdma;
    private final IpBlocks blocks;
    /** Client mappings of device memory, reroutable on loss (the hot-unplug work drives {@code rerouteAll}). */
    private final MappingTable mappings = new MappingTable(DummyPolicy.ZERO_FILL);
    private int clientSerial;
    private int clients;
    private boolean closing;
    private boolean released;

    private Gpu(PciDevice device, AsicProfile profile, DeviceContext ctx, Options options) {
        this.device = device;
        this.profile = profile;
        this.ctx = ctx;
        this.gmc = new GmcBlock(ctx);
        IhBlock ih = new IhBlock(ctx, gmc, options.fallbackPeriod().toMillis(), TimeUnit.MILLISECONDS);
        this.sdma = new SdmaBlock(ctx, gmc, ih, options.jobTimeout().toMillis(), options.testTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        this.blocks = new IpBlocks(ctx, List.of(new NbioBlock(ctx), gmc, ih, sdma));
    }

    /** Probes and brings up {@code device} with default options. */
    public static Gpu open(PciDevice device) {
        return open(device, Options.DEFAULT);
    }

    /**
     * Probes {@code device} (identify, VRAM size, register bases, BARs, bus mastering), then runs
     * the IP blocks' init in order and the ring and IB tests.
     *
     * @throws UnsupportedDeviceException  not an AMD GPU of a supported profile (nothing touched)
     * @throws FirmwareNotRunningException a cold card: the SDMA ring test timed out
     * @throws DeviceLostException         the device reads all ones
     */
    public static Gpu open(PciDevice device, Options options) {
        try {
            AsicProfile profile = Probe.identify(device).withPacketLimit(options.packetLimit());
            Mmio bar5 = device.mmio(RegionInfo.BAR5);
            Mmio bar2 = device.mmio(RegionInfo.BAR2);
            Mmio bar0 = device.mmio(RegionInfo.BAR0);
            device.config().setBusMaster(true);
            RegisterIo regs = new RegisterIo(bar5);
            long vramSize = Probe.vramSize(regs, device);
            IpBases bases = Probe.bases(profile, regs, bar0, vramSize);
            DeviceContext ctx = new DeviceContext(device, profile, bases, regs, bar2, bar0, vramSize);
            ctx.log().log(Level.INFO, "{0}: {1}, {2} MiB VRAM, {3}", device.address(), profile, vramSize >> 20, bases);
            Gpu gpu = new Gpu(device, profile, ctx, options);
            gpu.blocks.init();
            return gpu;
        } catch (RuntimeException e) {
            device.close(); // the Gpu owns the device from open on, also when probe fails
            throw e;
        }
    }

    /** A new client: the DRM-file analogue that owns buffers, mappings and fences. */
    public synchronized GpuClient openClient() {
        if (closing) {
            throw new DeviceLostException(device.address() + " is closed; open it again");
        }
        clients++;
        return new GpuClient(this, ctx, gmc, sdma.schedulers(), mappings.newOwner("client-" + ++clientSerial),
                this::clientClosed);
    }

    public AsicProfile profile() {
        return profile;
    }

    public PciDevice device() {
        return device;
    }

    /** SDMA rings brought up (one per instance). */
    public int ringCount() {
        return sdma.schedulers().size();
    }

    /** Engine recoveries after job timeouts, over all rings. */
    public long recoveries() {
        return sdma.schedulers().stream().mapToLong(RingScheduler::recoveries).sum();
    }

    /** Stops the hardware now; memory and the device are released after the last client closes. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        blocks.earlyFini();
        releaseIfUnused();
    }

    private void clientClosed() {
        synchronized (this) {
            clients--;
        }
        releaseIfUnused();
    }

    private void releaseIfUnused() {
        synchronized (this) {
            if (!closing || clients > 0 || released) {
                return;
            }
            released = true;
        }
        mappings.close();
        blocks.lateFini();
        device.close();
    }

    @Override
    public String toString() {
        return "Gpu[" + device.address() + " " + profile + "]";
    }
}
