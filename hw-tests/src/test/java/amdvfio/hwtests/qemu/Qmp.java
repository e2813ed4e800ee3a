package amdvfio.hwtests.qemu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A QMP (QEMU Machine Protocol) client over QEMU's unix socket ({@code -qmp unix:PATH,server=on,wait=off}).
 * One command at a time; asynchronous events are queued and can be awaited, including the ones
 * that arrived before the wait started. Physical-extraction analogue:
 * <pre>{@code
 * qmp.deviceDelAndWait("edu0", Duration.ofSeconds(10));   // device_del + DEVICE_DELETED
 * qmp.deviceAdd(Map.of("driver", "edu", "bus", "rp1", "id", "edu0"));
 * }</pre>
 */
public final class Qmp implements AutoCloseable {

    /** A QMP command answered with {"error": ...}. */
    public static final class QmpException extends IOException {
        private static final long serialVersionUID = 1L;
        public QmpException(String msg) { super(msg); }
    }

    private final SocketChannel channel;
    private final Thread reader;
    private final BlockingQueue<Map<String, Object>> replies = new LinkedBlockingQueue<>();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final Map<String, Object> greeting;
    private volatile boolean closed;
    private volatile Throwable readerFailure;

    private Qmp(SocketChannel channel, Duration timeout) throws IOException {
        this.channel = channel;
        this.reader = Thread.ofPlatform().daemon().name("qmp-reader").start(this::readLoop);
        this.greeting = take(timeout, "QMP greeting");
        if (!greeting.containsKey("QMP")) throw new IOException("not a QMP greeting: " + greeting);
        execute("qmp_capabilities", Map.of());
    }

    /** Connects (retrying while QEMU has not created the socket yet) and negotiates capabilities. */
    public static Qmp connect(Path socket, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return new Qmp(ch, Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000_000L)));
                } catch (IOException e) {
                    last = e;
                    ch.close();
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to QMP " + socket, e);
            }
        }
        throw new IOException("QMP socket " + socket + " not connectable within " + timeout, last);
    }

    public Map<String, Object> greeting() { return greeting; }

    /** Runs one command; returns its "return" value (a Map, a List, or null). */
    public synchronized Object execute(String command, Map<String, ?> arguments) throws IOException {
        return execute(command, arguments, Duration.ofSeconds(30));
    }

    public synchronized Object execute(String command, Map<String, ?> arguments, Duration timeout) throws IOException {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) msg.put("arguments", arguments);
        byte[] bytes = (json(msg) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) channel.write(buf);
        Map<String, Object> reply = take(timeout, command);
        if (reply.containsKey("error")) throw new QmpException(command + " " + json(arguments) + " failed: " + json(reply.get("error")));
        return reply.get("return");
    }

    /** device_del; the removal completes when the guest has released the device (see {@link #awaitDeviceDeleted}). */
    public void deviceDel(String id) throws IOException {
        execute("device_del", Map.of("id", id));
    }

    /** device_add with the given properties, e.g. {driver: edu, bus: rp1, id: edu0}. */
    public void deviceAdd(Map<String, ?> properties) throws IOException {
        execute("device_add", properties);
    }

    /** Waits for the DEVICE_DELETED event of the device with this id; returns the event. */
    public Map<String, Object> awaitDeviceDeleted(String id, Duration timeout) throws IOException, InterruptedException {
        return awaitEvent("DEVICE_DELETED", e -> id.equals(data(e).get("device")), timeout);
    }

    /** device_del, then waits for DEVICE_DELETED; returns the milliseconds between the two. */
    public long deviceDelAndWait(String id, Duration timeout) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        deviceDel(id);
        awaitDeviceDeleted(id, timeout);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    /**
     * Waits for an event with this name matching the filter, and consumes it (events received
     * earlier count too, so there is no race between a command and its event).
     */
    public Map<String, Object> awaitEvent(String name, Predicate<Map<String, Object>> filter, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (var it = events.iterator(); it.hasNext(); ) {
                    Map<String, Object> e = it.next();
                    if (name.equals(e.get("event")) && filter.test(e)) {
                        it.remove();
                        return e;
                    }
                }
                if (readerFailure != null) throw new IOException("QMP connection lost while waiting for " + name, readerFailure);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IOException("no QMP event " + name + " within " + timeout + "; events seen: " + events);
                TimeUnit.NANOSECONDS.timedWait(events, left);
            }
        }
    }

    /** All events received and not consumed yet. */
    public List<Map<String, Object>> pendingEvents() {
        synchronized (events) { return List.copyOf(events); }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> data(Map<String, Object> event) {
        Object d = event.get("data");
        return d instanceof Map ? (Map<String, Object>) d : Map.of();
    }

    private Map<String, Object> take(Duration timeout, String what) throws IOException {
        try {
            Map<String, Object> r = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new IOException("no QMP reply to " + what + " within " + timeout
                        + (readerFailure != null ? " (connection lost: " + readerFailure + ")" : ""));
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for QMP reply to " + what, e);
        }
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        StringBuilder line = new StringBuilder();
        try {
            while (!closed) {
                buf.clear();
                int n = channel.read(buf);
                if (n < 0) throw new IOException("QMP socket closed by QEMU");
                buf.flip();
                line.append(StandardCharsets.UTF_8.decode(buf));
                int nl;
                while ((nl = line.indexOf("\n")) >= 0) {
                    String msg = line.substring(0, nl).trim();
                    line.delete(0, nl + 1);
                    if (!msg.isEmpty()) dispatch(parseObject(msg));
                }
            }
        } catch (Throwable t) {
            if (!closed) readerFailure = t;
        } finally {
            synchronized (events) { events.notifyAll(); }
        }
    }

    private void dispatch(Map<String, Object> msg) {
        if (msg.containsKey("event")) {
            synchronized (events) {
                events.add(msg);
                events.notifyAll();
            }
        } else {
            replies.add(msg);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write QMP message: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> parseObject(String text) {
        try {
            return JSON.readValue(text, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("QMP sent something that is not a JSON object: " + text, e);
        }
    }
}
