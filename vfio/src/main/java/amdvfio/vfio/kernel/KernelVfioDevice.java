package amdvfio.vfio.kernel;

import amdvfio.bindings.vfio.vfio_device_info;
import amdvfio.bindings.vfio.vfio_h;
import amdvfio.bindings.vfio.vfio_irq_info;
import amdvfio.bindings.vfio.vfio_region_info;
import amdvfio.os.EventFd;
import amdvfio.os.Fd;
import amdvfio.os.Mapping;
import amdvfio.os.SyscallException;
import amdvfio.os.Syscalls;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.DeviceClosedException;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IovaAllocator;
import amdvfio.vfio.IrqInfo;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;
import amdvfio.vfio.VfioException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link PciDevice} over kernel VFIO, legacy container/group interface with the Type1v2 IOMMU.
 * Region and IRQ info are read once at open; BARs are mmap'd on first {@link #mmio} use where
 * the whole BAR is mappable, reached with pread/pwrite otherwise (a sparse BAR — e.g. one holding
 * the MSI-X table — takes the pread path for all of it).
 *
 * <p>Threading: as the contract says — any thread for access, {@link #close()} ordered after them
 * by the driver's device guard. {@link #close()} is idempotent and releases in the order that
 * lets the kernel's removal complete: IRQ triggers, own BAR mappings, DMA mappings, then the
 * device, group and container descriptors (vfio_device_fops_release drops the last reference
 * the removal waits on in vfio_unregister_group_dev).
 */
public final class KernelVfioDevice implements PciDevice {

    private final PciAddress address;
    private final VfioContainer container;
    private final VfioGroup group;
    private final Fd device;
    private final Fd sysfsConfig;
    private final int flags;
    private final RegionInfo[] regions;
    private final IrqInfo[] irqs;
    private final KernelConfigSpace config;
    private final KernelDmaSpace dma;
    private final Object[] mmios;
    private final Set<IrqType> enabledIrqs = EnumSet.noneOf(IrqType.class);
    private final int vendorId;
    private final int deviceId;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Takes ownership of the descriptors. Use {@link KernelVfio#open} rather than this.
     *
     * @param sysfsConfig open {@code config} attribute for the presence check, or null
     */
    KernelVfioDevice(PciAddress address, VfioContainer container, VfioGroup group, Fd device, Fd sysfsConfig) {
        this.address = address;
        this.container = container;
        this.group = group;
        this.device = device;
        this.sysfsConfig = sysfsConfig;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = vfio_device_info.allocate(arena);
            vfio_device_info.argsz(info, (int) vfio_device_info.sizeof());
            device.ioctl(vfio_h.VFIO_DEVICE_GET_INFO(), info, "VFIO_DEVICE_GET_INFO");
            this.flags = vfio_device_info.flags(info);
            if ((flags & vfio_h.VFIO_DEVICE_FLAGS_PCI()) == 0) {
                throw new VfioException(address + " is not a vfio-pci device (flags 0x" + Integer.toHexString(flags) + ")");
            }
            int numRegions = vfio_device_info.num_regions(info);
            int numIrqs = vfio_device_info.num_irqs(info);
            this.regions = new RegionInfo[numRegions];
            for (int i = 0; i < numRegions; i++) {
                regions[i] = readRegion(arena, i);
            }
            this.irqs = new IrqInfo[IrqType.values().length];
            for (IrqType t : IrqType.values()) {
                irqs[t.ordinal()] = t.vfioIndex() < numIrqs ? readIrq(arena, t) : new IrqInfo(t, 0, false, false, false, false);
            }
        }
        if (regions.length <= RegionInfo.CONFIG || !regions[RegionInfo.CONFIG].present()) {
            throw new VfioException(address + " has no config region: not a PCI function vfio-pci can drive");
        }
        this.config = new KernelConfigSpace(address, device, regions[RegionInfo.CONFIG].fdOffset(), sysfsConfig);
        this.vendorId = config.read16(ConfigSpace.VENDOR_ID);
        this.deviceId = config.read16(ConfigSpace.DEVICE_ID);
        this.dma = new KernelDmaSpace(container, iovaSpace(container.iommuInfo()));
        this.mmios = new Object[Math.min(regions.length, RegionInfo.ROM)];
    }

    private RegionInfo readRegion(Arena arena, int index) {
        MemorySegment buf = vfio_region_info.allocate(arena);
        vfio_region_info.argsz(buf, (int) vfio_region_info.sizeof());
        vfio_region_info.index(buf, index);
        try {
            device.ioctl(vfio_h.VFIO_DEVICE_GET_REGION_INFO(), buf, "VFIO_DEVICE_GET_REGION_INFO");
            int needed = vfio_region_info.argsz(buf);
            if (needed > vfio_region_info.sizeof()) {
                // capabilities follow: ask again with the size the kernel wants (linux/vfio.h argsz protocol)
                buf = arena.allocate(needed, 8);
                vfio_region_info.argsz(buf, needed);
                vfio_region_info.index(buf, index);
                device.ioctl(vfio_h.VFIO_DEVICE_GET_REGION_INFO(), buf, "VFIO_DEVICE_GET_REGION_INFO");
            }
        } catch (SyscallException e) {
            if (e.is(amdvfio.os.Errno.EINVAL)) {
                return new RegionInfo(index, 0, 0, false, false, false, List.of()); // absent (e.g. VGA)
            }
            throw new VfioException(e.getMessage() + ": region " + index + " of " + address, e);
        }
        return VfioInfoParser.regionInfo(buf);
    }

    private IrqInfo readIrq(Arena arena, IrqType type) {
        MemorySegment buf = vfio_irq_info.allocate(arena);
        vfio_irq_info.argsz(buf, (int) vfio_irq_info.sizeof());
        vfio_irq_info.index(buf, type.vfioIndex());
        try {
            device.ioctl(vfio_h.VFIO_DEVICE_GET_IRQ_INFO(), buf, "VFIO_DEVICE_GET_IRQ_INFO");
        } catch (SyscallException e) {
            // vfio_pci_ioctl_get_irq_info answers EINVAL for an index the function does not have:
            // ERR on a conventional-PCI function (no PCIe capability), as QEMU's edu device is
            if (e.is(amdvfio.os.Errno.EINVAL)) {
                return new IrqInfo(type, 0, false, false, false, false);
            }
            throw new VfioException(e.getMessage() + ": IRQ index " + type + " of " + address, e);
        }
        int f = vfio_irq_info.flags(buf);
        return new IrqInfo(type, vfio_irq_info.count(buf), (f & vfio_h.VFIO_IRQ_INFO_EVENTFD()) != 0,
                (f & vfio_h.VFIO_IRQ_INFO_MASKABLE()) != 0, (f & vfio_h.VFIO_IRQ_INFO_AUTOMASKED()) != 0,
                (f & vfio_h.VFIO_IRQ_INFO_NORESIZE()) != 0);
    }

    /**
     * The IOVA space: the first usable range the IOMMU reports, minus page 0 (a null device
     * address must fault). Low IOVAs first, for devices with narrow DMA masks (first fit).
     */
    static IovaAllocator iovaSpace(IommuInfo info) {
        long page = Math.max(Syscalls.pageSize(), info.minPageSize(Syscalls.pageSize()));
        for (IommuInfo.IovaRange r : info.iovaRanges()) {
            long base = Math.max((r.start() + page - 1) & -page, page);
            long limit = r.end() + 1; // inclusive end; 0 after overflow means "to the top"
            if (limit == 0) {
                limit = Long.MAX_VALUE & -page;
            }
            if (limit - base >= page) {
                return new IovaAllocator(base, limit & -page, page);
            }
        }
        // no range reported (kernels before 5.4): the 39-bit space every VT-d/AMD-Vi IOMMU covers
        return new IovaAllocator(page, 1L << 39, page);
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public int vendorId() {
        return vendorId;
    }

    @Override
    public int deviceId() {
        return deviceId;
    }

    @Override
    public String backend() {
        return "kernel-vfio (legacy container/group, Type1v2)";
    }

    @Override
    public int regionCount() {
        return regions.length;
    }

    @Override
    public RegionInfo region(int index) {
        if (index < 0 || index >= regions.length) {
            throw new IllegalArgumentException("region index " + index + " outside 0.." + (regions.length - 1));
        }
        return regions[index];
    }

    @Override
    public synchronized Mmio mmio(int bar) {
        checkOpen("mmio");
        RegionInfo r = bar(bar);
        Object m = mmios[bar];
        if (m == null) {
            if (r.canMap(0, r.size())) {
                Mapping mapping = Mapping.map(device, r.fdOffset(), Syscalls.pageAlign(r.size()));
                m = new MappedMmio(address, bar, mapping.segment().asSlice(0, r.size()), mapping::close);
            } else {
                m = new PreadMmio(address, bar, device, r.fdOffset(), r.size());
            }
            mmios[bar] = m;
        }
        return (Mmio) m;
    }

    @Override
    public MappableRange mappable(int bar) {
        checkOpen("mappable");
        RegionInfo r = bar(bar);
        if (!r.mappable()) {
            throw new VfioException("BAR" + bar + " of " + address + " cannot be mmap'd (vfio-pci did not set "
                    + "VFIO_REGION_INFO_FLAG_MMAP: a BAR smaller than a page, or an I/O port BAR)");
        }
        return new MappableRange(device, r.fdOffset(), r.size());
    }

    private RegionInfo bar(int bar) {
        if (bar < 0 || bar >= mmios.length || !regions[bar].present()) {
            throw new VfioException("BAR" + bar + " of " + address + " is absent; present: " + presentBars());
        }
        return regions[bar];
    }

    private String presentBars() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < mmios.length; i++) {
            if (regions[i].present()) {
                out.add("BAR" + i);
            }
        }
        return out.toString();
    }

    @Override
    public ConfigSpace config() {
        return config;
    }

    @Override
    public IrqInfo irqInfo(IrqType type) {
        return irqs[type.ordinal()];
    }

    @Override
    public void enableIrq(IrqType type, List<EventFd> triggers) {
        checkOpen("enableIrq");
        IrqInfo info = irqInfo(type);
        if (triggers.isEmpty() || triggers.size() > info.count()) {
            throw new VfioException(address + " offers " + info.count() + " " + type + " vector(s); asked for "
                    + triggers.size());
        }
        try (Arena arena = Arena.ofConfined()) {
            device.ioctl(vfio_h.VFIO_DEVICE_SET_IRQS(), IrqSetRequest.trigger(arena, type.vfioIndex(), triggers),
                    "VFIO_DEVICE_SET_IRQS");
        } catch (SyscallException e) {
            throw new VfioException(e.getMessage() + ": enabling " + triggers.size() + " " + type + " eventfd(s) on "
                    + address + " (a different index may already be enabled: disable it first)", e);
        }
        synchronized (enabledIrqs) {
            enabledIrqs.add(type);
        }
    }

    @Override
    public void disableIrq(IrqType type) {
        if (closed.get()) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            device.ioctl(vfio_h.VFIO_DEVICE_SET_IRQS(), IrqSetRequest.disable(arena, type.vfioIndex()), "VFIO_DEVICE_SET_IRQS");
        } catch (SyscallException e) {
            if (irqInfo(type).available()) { // disabling what the device does not offer is harmless
                throw new VfioException(e.getMessage() + ": disabling " + type + " on " + address, e);
            }
        }
        synchronized (enabledIrqs) {
            enabledIrqs.remove(type);
        }
    }

    @Override
    public DmaSpace dma() {
        return dma;
    }

    @Override
    public void reset() {
        checkOpen("reset");
        if ((flags & vfio_h.VFIO_DEVICE_FLAGS_RESET()) == 0) {
            throw new VfioException(address + " has no reset method vfio-pci can use (no FLR, PM or bus reset)");
        }
        try {
            device.ioctl(vfio_h.VFIO_DEVICE_RESET(), 0, "VFIO_DEVICE_RESET");
        } catch (SyscallException e) {
            throw new VfioException(e.getMessage() + ": resetting " + address, e);
        }
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    private void checkOpen(String what) {
        if (closed.get()) {
            throw new DeviceClosedException(address, what);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Throwable> failures = new ArrayList<>();
        List<IrqType> toDisable;
        synchronized (enabledIrqs) {
            toDisable = List.copyOf(enabledIrqs);
            enabledIrqs.clear();
        }
        for (IrqType t : toDisable) {
            attempt(failures, () -> {
                try (Arena arena = Arena.ofConfined()) {
                    device.ioctl(vfio_h.VFIO_DEVICE_SET_IRQS(), IrqSetRequest.disable(arena, t.vfioIndex()), "VFIO_DEVICE_SET_IRQS");
                }
            });
        }
        synchronized (this) {
            for (Object m : mmios) {
                if (m instanceof MappedMmio mm) {
                    attempt(failures, mm::close);
                } else if (m instanceof PreadMmio pm) {
                    pm.close();
                }
            }
        }
        attempt(failures, dma::unmapAll);
        attempt(failures, device::close);
        if (sysfsConfig != null) {
            attempt(failures, sysfsConfig::close);
        }
        attempt(failures, group::close);
        attempt(failures, container::close);
        if (!failures.isEmpty()) {
            VfioException e = new VfioException("closing " + address + " had " + failures.size()
                    + " failure(s); every descriptor was still closed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    private static void attempt(List<Throwable> failures, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }
}
