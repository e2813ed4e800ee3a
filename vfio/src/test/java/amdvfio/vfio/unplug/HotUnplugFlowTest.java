package amdvfio.vfio.unplug;

import amdvfio.os.MemFd;
import amdvfio.os.Syscalls;
import amdvfio.vfio.IrqType;
import amdvfio.vfio.MappableRange;
import amdvfio.vfio.event.DeviceEventHandler;
import amdvfio.vfio.event.DeviceEventLoop;
import amdvfio.vfio.event.IrqRecordingDeviceAccess;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The device-independent half of hot-unplug wired together as a driver would: a REQ eventfd
 * signal on the event loop triggers the lifecycle; early fini (on the teardown thread) drains
 * the guard, stops the loop, reroutes client mappings and releases the "device"; a client keeps
 * reading its mapping throughout and late fini waits for it to close.
 */
class HotUnplugFlowTest {

    @Test
    void shouldTearDownOnARequestWhileAClientKeepsReadingAndReleaseAfterItCloses() throws Exception {
        long page = Syscalls.pageSize();
        MemFd vram = MemFd.create("flow-vram", 16 * page);
        var device = IrqRecordingDeviceAccess.newDevice();
        DeviceGuard guard = new DeviceGuard();
        MappingTable table = new MappingTable(new MappableRange(vram, 0, vram.size()));
        Lifecycle life = new Lifecycle("0000:01:00.0");
        DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1, new DeviceEventHandler() {
            @Override
            public void onRequest(long count) {
                life.trigger(LossReason.REQ); // hand off only
            }
        });
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        // registered in probe order; early fini runs them in reverse
        life.addEarlyFini("release-device", () -> { vram.close(); device.close(); order.add("release-device"); });
        life.addEarlyFini("reroute-mappings", () -> { table.rerouteAll(); order.add("reroute-mappings"); });
        life.addEarlyFini("stop-event-loop", () -> { loop.close(); order.add("stop-event-loop"); });
        life.addEarlyFini("unplug-guard", () -> { guard.unplug(Duration.ofSeconds(2)); order.add("unplug-guard"); });
        life.addLateFini("free-table", () -> { table.close(); order.add("free-table"); });
        life.activate();

        assertTrue(life.acquire());
        MappingOwner client = table.newOwner("client");
        ClientMapping m = client.map(0, 4 * page);
        m.segment().fill((byte) 7);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    long v = m.segment().get(ValueLayout.JAVA_LONG, page);
                    if (v != 0 && v != 0x0707070707070707L) {
                        throw new AssertionError("read 0x" + Long.toHexString(v));
                    }
                    if (guard.enter()) { // a "register access" section
                        guard.exit();
                    }
                }
            } catch (Throwable t) {
                readerFailure.set(t);
            }
        });

        IrqRecordingDeviceAccess.req(device).signal(); // the kernel asks for the device back

        assertTrue(life.awaitState(Lifecycle.State.DETACHED, Duration.ofSeconds(5)));
        assertEquals(List.of("unplug-guard", "stop-event-loop", "reroute-mappings", "release-device"), order);
        assertFalse(loop.isRunning());
        assertFalse(Files.readString(Path.of("/proc/self/maps")).contains("flow-vram"), "device memory still mapped");
        assertEquals(Lifecycle.State.DETACHED, life.state(), "the client still holds a reference");
        stop.set(true);
        reader.join();
        assertNull(readerFailure.get());
        m.segment().set(ValueLayout.JAVA_INT, 0, 0xdeafbeef); // libdrm hotunplug test 3: must not fault

        client.close();
        life.release();

        assertEquals(Lifecycle.State.RELEASED, life.state());
        assertEquals("free-table", order.get(order.size() - 1));
        TeardownReport r = life.report();
        assertEquals(LossReason.REQ, r.reason());
        assertTrue(r.failures().isEmpty(), r.failures().toString());
    }
}
