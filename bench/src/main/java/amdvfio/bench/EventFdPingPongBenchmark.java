package amdvfio.bench;

import amdvfio.os.Epoll;
import amdvfio.os.EventFd;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * The cross-thread interrupt path: the benchmark thread signals an eventfd, a second thread
 * wakes from epoll_wait on it, drains it and signals a second eventfd, on which the benchmark
 * thread waits in epoll_wait and drains — two wake-ups (context switches) per round trip, what
 * an MSI → IH thread → fence waiter costs at least. Java (amdvfio.os on both threads) versus C
 * (a pthread pong, the same syscalls). Each side has its own pair of eventfds and epolls.
 * On a 2-core machine the pong thread and the benchmark thread may share a core: the figure is
 * then a scheduler round trip, which is also what a loaded machine gives the driver.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class EventFdPingPongBenchmark {

    /** Two eventfds (ping, pong), each with its own epoll. */
    static class Pair {
        final EventFd ping = EventFd.create("ping");
        final EventFd pong = EventFd.create("pong");
        final Epoll pingWait = Epoll.create(1);
        final Epoll pongWait = Epoll.create(1);

        Pair() {
            pingWait.add(ping, 1);
            pongWait.add(pong, 2);
        }

        void close() {
            pingWait.close();
            pongWait.close();
            ping.close();
            pong.close();
        }
    }

    @State(Scope.Benchmark)
    public static class JavaSide {
        static final long STOP = 1L << 40;
        Pair fds;
        Thread ponger;

        @Setup(Level.Trial)
        public void start() {
            fds = new Pair();
            ponger = Thread.ofPlatform().daemon(true).name("java-pong").start(() -> {
                while (true) {
                    fds.pingWait.await(-1);
                    long got = fds.ping.drain();
                    if (got >= STOP) {
                        return;
                    }
                    if (got > 0) {
                        fds.pong.signal(1);
                    }
                }
            });
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            fds.ping.signal(STOP);
            ponger.join(5000);
            fds.close();
        }
    }

    @State(Scope.Benchmark)
    public static class CSide {
        Pair fds;
        MemorySegment handle;

        @Setup(Level.Trial)
        public void start() throws Throwable {
            fds = new Pair();
            handle = (MemorySegment) CBaselines.PONG_START.invokeExact(fds.ping.value(), fds.pingWait.value(), fds.pong.value());
            if (handle.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("amdvfio_pong_start failed");
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws Throwable {
            CBaselines.check((int) CBaselines.PONG_STOP.invokeExact(handle), "amdvfio_pong_stop");
            fds.close();
        }
    }

    @Benchmark
    public long javaPingPong(JavaSide s) {
        s.fds.ping.signal(1);
        long got;
        do {
            s.fds.pongWait.await(-1);
            got = s.fds.pong.drain();
        } while (got == 0);
        return got;
    }

    @Benchmark
    public int cPingPong(CSide s) throws Throwable {
        return (int) CBaselines.PING.invokeExact(s.fds.ping.value(), s.fds.pong.value(), s.fds.pongWait.value());
    }
}
