package amdvfio.vfio.event;

import amdvfio.os.EventFd;
import amdvfio.vfio.ConfigSpace;
import amdvfio.vfio.DmaSpace;
import amdvfio.vfio.IrqInfo;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.Mmio;
import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import amdvfio.vfio.RegionInfo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A device that only does IRQ routing: it records the eventfds the loop hands it, so a test can
 * signal them the way the kernel would. Everything else is outside what the event loop may use.
 */
final class IrqRecordingDevice implements PciDevice {

    final Map<IrqType, List<EventFd>> routed = new EnumMap<>(IrqType.class);
    final List<String> calls = new ArrayList<>();
    final boolean offersErrAndReq;
    boolean closed;

    IrqRecordingDevice(boolean offersErrAndReq) {
        this.offersErrAndReq = offersErrAndReq;
    }

    @Override public PciAddress address() { return PciAddress.parse("0000:01:00.0"); }
    @Override public int vendorId() { return 0x1234; }
    @Override public int deviceId() { return 0x11e8; }
    @Override public String backend() { return "irq-recording test double"; }
    @Override public int regionCount() { return 0; }
    @Override public RegionInfo region(int index) { throw new UnsupportedOperationException("not used by the event loop"); }
    @Override public Mmio mmio(int bar) { throw new UnsupportedOperationException("not used by the event loop"); }
    @Override public MappableRange mappable(int bar) { throw new UnsupportedOperationException("not used by the event loop"); }
    @Override public ConfigSpace config() { throw new UnsupportedOperationException("not used by the event loop"); }
    @Override public DmaSpace dma() { throw new UnsupportedOperationException("not used by the event loop"); }
    @Override public void reset() { throw new UnsupportedOperationException("not used by the event loop"); }

    @Override
    public IrqInfo irqInfo(IrqType type) {
        boolean offered = switch (type) {
            case ERR, REQ -> offersErrAndReq;
            case MSI -> true;
            default -> false;
        };
        return new IrqInfo(type, offered ? 1 : 0, true, false, false, true);
    }

    @Override
    public synchronized void enableIrq(IrqType type, List<EventFd> triggers) {
        calls.add("enable " + type + " x" + triggers.size());
        routed.put(type, List.copyOf(triggers));
    }

    @Override
    public synchronized void disableIrq(IrqType type) {
        calls.add("disable " + type);
        routed.remove(type);
    }

    @Override public boolean isClosed() { return closed; }
    @Override public void close() { closed = true; }
}
