package amdvfio.vfio.event;

import amdvfio.vfio.IrqType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DeviceEventLoopTest {

    /** Records every event with the thread it arrived on. */
    static final class Recorder implements DeviceEventHandler {
        final BlockingQueue<String> events = new ArrayBlockingQueue<>(100);

        @Override public void onIrq(int vector, long count) { events.add("irq " + vector + " x" + count + " on " + Thread.currentThread().getName()); }
        @Override public void onError() { events.add("err on " + Thread.currentThread().getName()); }
        @Override public void onRequest(long count) { events.add("req x" + count + " on " + Thread.currentThread().getName()); }

        String next() throws InterruptedException {
            String e = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(e, "no event within 5 s");
            return e;
        }
    }

    @Test
    void shouldHandEachEventfdsCountToTheHandlersOnTheIrqThread() throws Exception {
        IrqRecordingDevice device = new IrqRecordingDevice(true);
        Recorder rec = new Recorder();
        try (DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 2, rec)) {
            String t = "amdvfio-irq-0000:01:00.0";
            assertEquals(t, loop.threadName());

            device.routed.get(IrqType.MSI).get(1).signal(5);
            assertEquals("irq 1 x5 on " + t, rec.next());
            device.routed.get(IrqType.ERR).get(0).signal();
            assertEquals("err on " + t, rec.next());
            device.routed.get(IrqType.REQ).get(0).signal(2);
            assertEquals("req x2 on " + t, rec.next());
            device.routed.get(IrqType.MSI).get(0).signal();
            assertEquals("irq 0 x1 on " + t, rec.next());
        }
        assertTrue(rec.events.isEmpty(), rec.events.toString());
    }

    @Test
    void shouldEnableVectorsErrAndReqAndDisableThemOnClose() {
        IrqRecordingDevice device = new IrqRecordingDevice(true);

        DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1);
        assertTrue(loop.listensFor(IrqType.REQ));
        loop.close();

        assertEquals(List.of("enable MSI x1", "enable ERR x1", "enable REQ x1",
                "disable REQ", "disable ERR", "disable MSI"), device.calls);
        assertTrue(device.routed.isEmpty());
    }

    @Test
    void shouldSkipErrAndReqWhenTheDeviceDoesNotOfferThem() {
        IrqRecordingDevice device = new IrqRecordingDevice(false);

        try (DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1)) {
            assertFalse(loop.listensFor(IrqType.ERR));
            assertFalse(loop.listensFor(IrqType.REQ));
            assertEquals(List.of("enable MSI x1"), device.calls);
        }
    }

    @Test
    void shouldNotTouchAClosedDeviceWhenClosing() {
        IrqRecordingDevice device = new IrqRecordingDevice(true);
        DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1);
        device.close();
        device.calls.clear();

        loop.close();

        assertEquals(List.of(), device.calls);
    }

    @Test
    void shouldKeepDispatchingWhenAHandlerThrows() throws Exception {
        IrqRecordingDevice device = new IrqRecordingDevice(true);
        Recorder rec = new Recorder();
        DeviceEventHandler broken = new DeviceEventHandler() {
            @Override public void onIrq(int vector, long count) { throw new IllegalStateException("bug in a handler"); }
        };
        try (DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1, broken, rec)) {
            device.routed.get(IrqType.MSI).get(0).signal();
            rec.next();
            device.routed.get(IrqType.MSI).get(0).signal();
            rec.next();

            assertEquals(2, loop.handlerFailures());
            assertTrue(loop.isRunning());
        }
    }

    @Test
    void shouldRefuseToBeClosedFromItsOwnThread() throws Exception {
        IrqRecordingDevice device = new IrqRecordingDevice(true);
        BlockingQueue<Throwable> seen = new ArrayBlockingQueue<>(1);
        DeviceEventLoop[] self = new DeviceEventLoop[1];
        try (DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSI, 1)) {
            self[0] = loop;
            loop.addHandler(new DeviceEventHandler() {
                @Override public void onRequest(long count) {
                    try {
                        self[0].close();
                    } catch (Throwable t) {
                        seen.add(t);
                    }
                }
            });
            device.routed.get(IrqType.REQ).get(0).signal();

            Throwable t = seen.poll(5, TimeUnit.SECONDS);
            assertInstanceOf(IllegalStateException.class, t);
            assertTrue(t.getMessage().contains("teardown thread"), t.getMessage());
            assertTrue(loop.isRunning());
        }
    }

    @Test
    void shouldLeaveNoThreadOrFdBehindAfterClose() throws Exception {
        Set<String> fdsBefore = fds();
        Set<String> threadsBefore = threadNames();

        for (int i = 0; i < 20; i++) {
            IrqRecordingDevice device = new IrqRecordingDevice(true);
            DeviceEventLoop loop = DeviceEventLoop.start(device, IrqType.MSIX, 4, new Recorder());
            device.routed.get(IrqType.MSIX).get(3).signal();
            loop.close();
            assertFalse(loop.isRunning());
        }

        assertEquals(fdsBefore, fds(), "descriptors before and after");
        Set<String> threadsAfter = threadNames();
        assertTrue(threadsAfter.stream().noneMatch(n -> n.startsWith("amdvfio-irq-")), threadsAfter.toString());
        assertTrue(threadsBefore.containsAll(threadsAfter.stream().filter(n -> n.startsWith("amdvfio")).toList()));
    }

    static Set<String> fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.map(p -> p.getFileName().toString() + "->" + target(p)).collect(Collectors.toSet());
        }
    }

    static String target(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "?"; // the fd Files.list itself uses is gone by now
        }
    }

    static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }
}
