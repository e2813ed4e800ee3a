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
import amdvfio.vfio.ResetUnavailableException;
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
 * lets the kernel's removal complete: IRQ triggers, own BAR mappings, bus mastering off and pending
 * DMA drained ({@link DmaQuiesce}), DMA mappings, then the
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
    private volatile String busResetForbidden;
    private volatile DmaQuiesce.Outcome quiesced;

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
        IommuInfo iommu = container.iommuInfo();
        this.dma = new KernelDmaSpace(container, iovaSpace(iommu), iommu.dmaAvail());
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
     * The IOVA space: every usable range the IOMMU reports (on 6.12's VT-d: below the MSI window
     * and above it up to 2^39), minus page 0 (a null device address must fault). Low IOVAs first,
     * for devices with narrow DMA masks (first fit).
     */
    static IovaAllocator iovaSpace(IommuInfo info) {
        long page = Math.max(Syscalls.pageSize(), info.minPageSize(Syscalls.pageSize()));
        List<long[]> windows = new ArrayList<>();
        for (IommuInfo.IovaRange r : info.iovaRanges()) {
            long base = Math.max((r.start() + page - 1) & -page, page);
            long limit = r.end() + 1; // inclusive end; 0 after overflow means "to the top"
            if (limit == 0) {
                limit = Long.MAX_VALUE & -page;
            }
            limit &= -page;
            if (limit - base >= page) {
                windows.add(new long[] {base, limit});
            }
        }
        if (windows.isEmpty()) {
            // no range reported (kernels before 5.4): the 39-bit space every VT-d/AMD-Vi IOMMU covers
            windows.add(new long[] {page, 1L << 39});
        }
        return new IovaAllocator(windows, page);
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

    /**
     * VFIO_DEVICE_RESET where vfio-pci offers it (flag VFIO_DEVICE_FLAGS_RESET), else a hot reset
     * ({@link #hotReset()}) unless the driver forbade it.
     */
    @Override
    public void reset() {
        checkOpen("reset");
        if ((flags & vfio_h.VFIO_DEVICE_FLAGS_RESET()) != 0) {
            try {
                device.ioctl(vfio_h.VFIO_DEVICE_RESET(), 0, "VFIO_DEVICE_RESET");
            } catch (SyscallException e) {
                throw new VfioException(e.getMessage() + ": resetting " + address, e);
            }
            return;
        }
        if (busResetForbidden != null) {
            throw new ResetUnavailableException(address + " has no function reset vfio-pci can use, and its driver "
                    + "forbids a bus reset: " + busResetForbidden);
        }
        hotReset();
    }

    /**
     * A secondary bus reset of the slot through VFIO_DEVICE_PCI_HOT_RESET, passing our group: it
     * works when every affected function is in that group (an AMD card's GPU and HDMI audio).
     *
     * @throws ResetUnavailableException when the kernel offers none, or another group is affected
     */
    public void hotReset() {
        checkOpen("hotReset");
        List<HotReset.Dependent> deps;
        try {
            deps = HotReset.dependents(device, address);
        } catch (VfioException e) {
            throw new ResetUnavailableException(e.getMessage());
        }
        List<HotReset.Dependent> foreign = deps.stream().filter(d -> d.group() != group.number()).toList();
        if (!foreign.isEmpty()) {
            throw new ResetUnavailableException("a bus reset of " + address + " would also reset " + foreign.stream()
                    .map(d -> d.address() + " (IOMMU group " + d.group() + ")").toList() + ", which this process does "
                    + "not own; bind them to vfio-pci and open their groups, or use a slot of its own");
        }
        HotReset.reset(device, address, List.of(group.fd()));
    }

    /** The functions a hot reset would reset (VFIO_DEVICE_GET_PCI_HOT_RESET_INFO); empty when the kernel offers none. */
    public List<PciAddress> hotResetScope() {
        checkOpen("hotResetScope");
        try {
            return HotReset.dependents(device, address).stream().map(HotReset.Dependent::address).toList();
        } catch (VfioException e) {
            return List.of();
        }
    }

    @Override
    public void forbidBusReset(String reason) {
        busResetForbidden = reason;
    }

    @Override
    public String resetPlan() {
        if ((flags & vfio_h.VFIO_DEVICE_FLAGS_RESET()) != 0) {
            return "VFIO_DEVICE_RESET (the kernel's reset_method)";
        }
        if (busResetForbidden != null) {
            return "none: vfio-pci offers no function reset and the driver forbids a bus reset (" + busResetForbidden + ")";
        }
        List<PciAddress> scope = closed.get() ? List.of() : hotResetScope();
        return scope.isEmpty() ? "none: vfio-pci offers no function reset and no bus reset"
                : "VFIO_DEVICE_PCI_HOT_RESET of " + scope;
    }

    /** What the close path found when it stopped the device's DMA, or null before close. */
    public DmaQuiesce.Outcome quiesceOutcome() {
        return quiesced;
    }

    /** The container's DMA mapping limit (dma_avail at open), or -1 when the kernel does not report it. */
    public long dmaMappingLimit() {
        return dma.mappingLimit();
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
        // Bus master off and in-flight DMA drained before the IOMMU mappings go (amdgpu's remove:
        // pci_disable_device, pci_wait_for_pending_transaction), or a wedged card faults on them.
        attempt(failures, () -> quiesced = DmaQuiesce.quiesce(config, DmaQuiesce::sleep));
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
