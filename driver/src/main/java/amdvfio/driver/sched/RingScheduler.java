package amdvfio.driver.sched;

import amdvfio.driver.Job;
import amdvfio.driver.fence.Fence;
import amdvfio.driver.fence.FenceError;
import amdvfio.driver.ring.PacketWriter;
import amdvfio.driver.ring.Ring;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs jobs on one ring in submission order ({@code drm_gpu_scheduler} reduced to one entity).
 * A job whose dependencies are complete and that has no earlier job waiting is written to the
 * ring at once, on the submitting thread; otherwise it waits in order and is written when the
 * last dependency completes (on that fence's completing thread).
 *
 * <p>Fences: each job gets the next 32-bit sequence number, written by FENCE + TRAP. Completion
 * processing reads the fence word and signals every in-flight job whose seq has been reached
 * ({@code amdgpu_fence_process}); it runs from the trap interrupt, the fallback tick and polling
 * waits.
 *
 * <p>A job whose dependency failed is not written; its fence fails with {@link FenceError#CANCELED}
 * whatever the dependency's error was (the rule is documented on {@code Job.Builder.dependsOn}).
 *
 * <p>Timeouts: when the oldest in-flight job has made no progress for {@code jobTimeout}, and the
 * device is present and recovery is allowed, the engine is reset and the ring re-initialised;
 * the guilty job fails with {@link FenceError#TIMEOUT} and the later ones are written again
 * ({@code amdgpu_job_timedout} → {@code amdgpu_device_gpu_recover}). Without the device, or once
 * the hot-unplug machinery forbids it ({@link EngineControl#recoveryAllowed()}), every job fails
 * with {@link FenceError#DEVICE_LOST} instead.
 *
 * <p>Threading: thread-safe; the ring's lock is the only lock. Fences are completed outside it
 * except while a submitter waits for ring space.
 */
public final class RingScheduler {

    /** The engine operations recovery needs. */
    public interface EngineControl {
        /** Halts the engine, re-programs the ring from scratch (pointers 0) and restarts it. */
        void reinitialize();

        /** False once the device is lost or unplugging: the hook where hot-unplug forbids recovery. */
        boolean recoveryAllowed();
    }

    private record Entry(Job job, Fence fence, int seq) {
    }

    private final Ring ring;
    private final EngineControl engine;
    private final long jobTimeoutNanos;
    private final Logger log;
    private final PacketWriter writer;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private final ArrayDeque<Entry> inflight = new ArrayDeque<>();
    private final Runnable poller = this::processFences;
    private final ReentrantLock signalling = new ReentrantLock();
    private volatile boolean recheck;
    private int seq;
    private long lastProgress = System.nanoTime();
    private volatile FenceError stopped;
    private long recoveries;

    public RingScheduler(Ring ring, EngineControl engine, long jobTimeout, TimeUnit unit, Logger log) {
        this.ring = ring;
        this.engine = engine;
        this.jobTimeoutNanos = unit.toNanos(jobTimeout);
        this.log = log;
        this.writer = ring.writer();
    }

    /** Queues {@code job}; returns its fence. Never blocks on dependencies. */
    public Fence submit(Job job, Object owner) {
        List<Fence> toFail = null;
        Fence fence;
        ring.lock().lock();
        try {
            fence = new Fence(owner, ring.name(), Integer.toUnsignedLong(++seq), poller);
            if (stopped != null) {
                toFail = List.of(fence);
            } else {
                Entry e = new Entry(job, fence, seq);
                if (pending.isEmpty() && ready(job)) {
                    toFail = emitOrCancel(e);
                } else {
                    pending.add(e);
                    watch(job);
                }
            }
        } finally {
            ring.lock().unlock();
        }
        failAll(toFail, stopped != null ? stopped : FenceError.CANCELED);
        return fence;
    }

    /**
     * Reads the fence word and signals every job it covers, in order. Any thread. One thread
     * signals at a time (so callbacks see fences in sequence order); a call that finds another
     * thread signalling leaves it a request to look again instead of waiting.
     */
    public void processFences() {
        recheck = true;
        while (recheck && signalling.tryLock()) {
            try {
                recheck = false;
                drainCompleted();
            } finally {
                signalling.unlock();
            }
        }
    }

    private void drainCompleted() {
        while (true) {
            Fence done;
            ring.lock().lock();
            try {
                Entry head = inflight.peek();
                if (head == null || ring.readFenceSeq() - head.seq < 0) {
                    return;
                }
                inflight.poll();
                lastProgress = System.nanoTime();
                done = head.fence;
            } finally {
                ring.lock().unlock();
            }
            done.signal();
        }
    }

    /** Fallback tick: completes fences whose interrupt was lost, then checks the oldest job's age. */
    public void tick() {
        processFences();
        List<Fence> failed = null;
        FenceError why = FenceError.TIMEOUT;
        ring.lock().lock();
        try {
            if (!inflight.isEmpty() && System.nanoTime() - lastProgress > jobTimeoutNanos) {
                why = engine.recoveryAllowed() ? FenceError.TIMEOUT : FenceError.DEVICE_LOST;
                failed = recoverLocked();
            }
        } finally {
            ring.lock().unlock();
        }
        failAll(failed, why);
        pump();
    }

    /**
     * Step 2 of early fini: refuses new jobs and stops writing queued ones, without failing
     * anything yet (force completion is step 4, after interrupts are off). Takes effect at once,
     * even for a submitter parked waiting for ring space (it re-checks without the lock).
     */
    public void halt(FenceError why) {
        if (stopped == null) {
            stopped = why;
        }
        ring.lock().lock(); // wait for a submission in progress to finish writing
        ring.lock().unlock();
    }

    /** True while jobs are queued or in flight (the periodic health check runs only then). */
    public boolean hasWork() {
        ring.lock().lock();
        try {
            return !inflight.isEmpty() || !pending.isEmpty();
        } finally {
            ring.lock().unlock();
        }
    }

    /**
     * Step 4 of early fini ({@code amdgpu_fence_driver_force_completion}): signals what the engine
     * did finish, then fails everything else with {@code why}.
     */
    public void forceComplete(FenceError why) {
        processFences();
        stop(why);
    }

    /** Fails every queued and in-flight job with {@code why} and refuses new ones (device lost, close). */
    public void stop(FenceError why) {
        List<Fence> all = new ArrayList<>();
        if (stopped == null) {
            stopped = why; // before the lock: a submitter parked for ring space sees it and lets go
        }
        ring.lock().lock();
        try {
            for (Entry e : inflight) { // loops, not lambdas: this runs once, on the removal's critical path
                all.add(e.fence);
            }
            for (Entry e : pending) {
                all.add(e.fence);
            }
            inflight.clear();
            pending.clear();
        } finally {
            ring.lock().unlock();
        }
        failAll(all, why);
    }

    /** Engine recoveries so far. */
    public long recoveries() {
        return recoveries;
    }

    public Ring ring() {
        return ring;
    }

    public Runnable poller() {
        return poller;
    }

    /** Writes every waiting job whose dependencies are complete, in order. */
    private void pump() {
        List<Fence> canceled = null;
        ring.lock().lock();
        try {
            while (stopped == null && !pending.isEmpty() && ready(pending.peek().job)) {
                List<Fence> c = emitOrCancel(pending.poll());
                if (c != null) {
                    canceled = canceled == null ? new ArrayList<>() : canceled;
                    canceled.addAll(c);
                }
            }
        } finally {
            ring.lock().unlock();
        }
        failAll(canceled, FenceError.CANCELED);
    }

    private boolean ready(Job job) {
        for (int i = 0; i < job.dependencyCount(); i++) {
            if (!job.dependency(i).isComplete()) {
                return false;
            }
        }
        return true;
    }

    private void watch(Job job) {
        for (Fence f : job.dependencies()) {
            if (!f.isComplete()) {
                f.onComplete(x -> pump());
            }
        }
    }

    /** Caller holds the lock. A job with a failed dependency is not run: its fence is returned to fail. */
    private List<Fence> emitOrCancel(Entry e) {
        for (int i = 0; i < e.job.dependencyCount(); i++) {
            if (e.job.dependency(i).error() != null) {
                return List.of(e.fence);
            }
        }
        long need = writer.commandDwords(e.job) + 6 + 2L * ring.traits().alignDwords();
        if (need > ring.sizeDwords() / 2) {
            throw new IllegalStateException(ring.name() + ": job of " + need + " dwords does not fit the ring");
        }
        List<Fence> failed = waitForSpace(need);
        if (stopped != null) {
            failed = failed == null ? new ArrayList<>() : new ArrayList<>(failed);
            failed.add(e.fence);
            return failed;
        }
        emit(e);
        return failed;
    }

    private void emit(Entry e) {
        long start = ring.wptr();
        long pos = writer.encode(e.job, ring.buffer(), start, ring.mask());
        pos = writer.encodeFence(ring.buffer(), pos, ring.mask(), ring.writebackGpuAddress(Ring.FENCE_SEQ), e.seq);
        ring.advance(pos - start);
        ring.commit();
        if (inflight.isEmpty()) {
            lastProgress = System.nanoTime();
        }
        inflight.add(e);
    }

    /** Caller holds the lock. Waits for the engine's rptr to free {@code dwords}; recovers if it stalls. */
    private List<Fence> waitForSpace(long dwords) {
        List<Fence> failed = null;
        long rptr = ring.readRptrBytes();
        while (ring.freeDwords() < dwords && stopped == null) {
            long now = ring.readRptrBytes();
            if (now != rptr) {
                rptr = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > jobTimeoutNanos) {
                List<Fence> f = recoverLocked();
                failed = failed == null ? f : concat(failed, f);
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
        return failed;
    }

    private static List<Fence> concat(List<Fence> a, List<Fence> b) {
        List<Fence> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * Caller holds the lock. Finds the guilty job (the first not reached by the fence word), resets
     * the engine, and writes the jobs after it again. Jobs before it are complete and stay for
     * {@link #processFences} to signal in order. Returns the fences to fail.
     */
    private List<Fence> recoverLocked() {
        List<Fence> failed = new ArrayList<>();
        int reached = ring.readFenceSeq();
        Entry guilty = null;
        for (Entry e : inflight) {
            if (reached - e.seq < 0) {
                guilty = e;
                break;
            }
        }
        if (guilty == null) {
            lastProgress = System.nanoTime();
            return failed;
        }
        if (!engine.recoveryAllowed()) {
            log.log(Level.ERROR, "{0}: job timed out and the device is gone; failing all jobs", ring.name());
            stopped = FenceError.DEVICE_LOST;
            inflight.forEach(x -> failed.add(x.fence));
            pending.forEach(x -> failed.add(x.fence));
            inflight.clear();
            pending.clear();
            return failed;
        }
        log.log(Level.WARNING, String.format("%s: ring timeout, signaled seq=%d, emitted seq=%d; resetting the engine",
                ring.name(), Integer.toUnsignedLong(reached), Integer.toUnsignedLong(seq)));
        recoveries++;
        List<Entry> again = new ArrayList<>();
        boolean after = false;
        for (var it = inflight.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e == guilty) {
                after = true;
                it.remove();
            } else if (after) {
                again.add(e);
                it.remove();
            }
        }
        engine.reinitialize();
        ring.resetPointers();
        ring.writeSlot(Ring.FENCE_SEQ, guilty.seq);
        failed.add(guilty.fence);
        for (Entry e : again) {
            emit(e);
        }
        lastProgress = System.nanoTime();
        return failed;
    }

    private static void failAll(List<Fence> fences, FenceError why) {
        if (fences != null) {
            for (Fence f : fences) {
                f.fail(why);
            }
        }
    }
}
