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

import java.util.concurrent.TimeUnit;

/**
 * The syscall floor of the interrupt path: signal an eventfd, wake from epoll_wait, drain it —
 * in Java through amdvfio.os, and the same three syscalls from C. Single thread, so the figure is
 * syscall cost without a context switch. Allocation-free in both (check with -prof gc).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class EventFdRoundTripBenchmark {

    private EventFd eventFd;
    private Epoll epoll;

    @Setup(Level.Trial)
    public void setUp() {
        eventFd = EventFd.create("bench");
        epoll = Epoll.create(1);
        epoll.add(eventFd, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        epoll.close();
        eventFd.close();
    }

    @Benchmark
    public long javaRoundTrip() {
        eventFd.signal(1);
        epoll.await(-1);
        return eventFd.drain();
    }

    @Benchmark
    public int cRoundTrip() throws Throwable {
        return (int) CBaselines.EVENTFD_EPOLL_ROUND_TRIP.invokeExact(eventFd.value(), epoll.value());
    }
}
