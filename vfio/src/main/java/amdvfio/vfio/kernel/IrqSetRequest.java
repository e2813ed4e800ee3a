package amdvfio.vfio.kernel;

import amdvfio.bindings.vfio.vfio_h;
import amdvfio.bindings.vfio.vfio_irq_set;
import amdvfio.os.EventFd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Builds {@code struct vfio_irq_set} for VFIO_DEVICE_SET_IRQS (linux/vfio.h):
 * <pre>
 *   argsz | flags | index | start | count | data[count] (s32 eventfds for DATA_EVENTFD)
 * </pre>
 */
final class IrqSetRequest {

    private IrqSetRequest() {
    }

    /** Vector i of {@code index} signals {@code fds.get(i)} (DATA_EVENTFD | ACTION_TRIGGER, start 0). */
    static MemorySegment trigger(Arena arena, int index, List<EventFd> fds) {
        long size = vfio_irq_set.sizeof() + 4L * fds.size();
        MemorySegment s = arena.allocate(size, 4);
        header(s, (int) size, vfio_h.VFIO_IRQ_SET_DATA_EVENTFD() | vfio_h.VFIO_IRQ_SET_ACTION_TRIGGER(), index, fds.size());
        for (int i = 0; i < fds.size(); i++) {
            s.set(ValueLayout.JAVA_INT, vfio_irq_set.data$offset() + 4L * i, fds.get(i).value());
        }
        return s;
    }

    /** Disables every trigger of {@code index}: DATA_NONE | ACTION_TRIGGER with count 0. */
    static MemorySegment disable(Arena arena, int index) {
        MemorySegment s = arena.allocate(vfio_irq_set.sizeof(), 4);
        header(s, (int) vfio_irq_set.sizeof(), vfio_h.VFIO_IRQ_SET_DATA_NONE() | vfio_h.VFIO_IRQ_SET_ACTION_TRIGGER(), index, 0);
        return s;
    }

    private static void header(MemorySegment s, int argsz, int flags, int index, int count) {
        vfio_irq_set.argsz(s, argsz);
        vfio_irq_set.flags(s, flags);
        vfio_irq_set.index(s, index);
        vfio_irq_set.start(s, 0);
        vfio_irq_set.count(s, count);
    }
}
