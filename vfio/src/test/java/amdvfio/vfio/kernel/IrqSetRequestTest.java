package amdvfio.vfio.kernel;

import amdvfio.bindings.vfio.vfio_h;
import amdvfio.os.EventFd;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class IrqSetRequestTest {

    @Test
    void shouldLayOutEventfdTriggersAsTheKernelReadsThem() {
        try (Arena arena = Arena.ofConfined(); EventFd a = EventFd.create("a"); EventFd b = EventFd.create("b")) {
            MemorySegment s = IrqSetRequest.trigger(arena, vfio_h.VFIO_PCI_MSIX_IRQ_INDEX(), List.of(a, b));

            assertEquals(28, s.byteSize());
            assertEquals(28, s.get(ValueLayout.JAVA_INT, 0), "argsz");
            assertEquals(vfio_h.VFIO_IRQ_SET_DATA_EVENTFD() | vfio_h.VFIO_IRQ_SET_ACTION_TRIGGER(), s.get(ValueLayout.JAVA_INT, 4));
            assertEquals(2, s.get(ValueLayout.JAVA_INT, 8), "index");
            assertEquals(0, s.get(ValueLayout.JAVA_INT, 12), "start");
            assertEquals(2, s.get(ValueLayout.JAVA_INT, 16), "count");
            assertEquals(a.value(), s.get(ValueLayout.JAVA_INT, 20));
            assertEquals(b.value(), s.get(ValueLayout.JAVA_INT, 24));
        }
    }

    @Test
    void shouldDisableWithDataNoneAndCountZero() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = IrqSetRequest.disable(arena, vfio_h.VFIO_PCI_REQ_IRQ_INDEX());

            assertEquals(20, s.get(ValueLayout.JAVA_INT, 0));
            assertEquals(vfio_h.VFIO_IRQ_SET_DATA_NONE() | vfio_h.VFIO_IRQ_SET_ACTION_TRIGGER(), s.get(ValueLayout.JAVA_INT, 4));
            assertEquals(4, s.get(ValueLayout.JAVA_INT, 8));
            assertEquals(0, s.get(ValueLayout.JAVA_INT, 16));
        }
    }
}
