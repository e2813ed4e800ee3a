package amdvfio.driver;

import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.fence.Fence;
import java.util.ArrayList;
import java.util.List;

/**
 * A unit of SDMA work: a list of commands run in order on one ring, after its dependencies,
 * followed by a fence. Built with {@link #builder()}; validated as it is built (sizes, ranges),
 * and again at submission (ownership, open buffers) — nothing reaches the ring before both pass.
 * Immutable once built, so the scheduler can re-emit it after an engine recovery.
 *
 * <pre>{@code
 * Job job = Job.builder()
 *         .copy(src, 0, dst, 0, 1 << 20)
 *         .fill(dst, 1 << 20, 4096, (byte) 0)
 *         .dependsOn(previous)
 *         .build();
 * Fence done = client.submit(job);
 * }</pre>
 */
public final class Job {

    /** Command kinds, as stored in {@link #kind(int)}. */
    public static final int COPY = 1;
    public static final int FILL = 2;
    public static final int WRITE = 3;
    public static final int TIMESTAMP = 4;
    public static final int INDIRECT = 5;

    private final int[] kinds;
    private final BufferObject[] dst;
    private final long[] dstOffset;
    private final BufferObject[] src;
    private final long[] srcOffset;
    private final long[] length;
    private final long[] value;
    private final Fence[] dependencies;
    private final int ring;

    private Job(Builder b) {
        int n = b.kinds.size();
        kinds = new int[n];
        dst = new BufferObject[n];
        dstOffset = new long[n];
        src = new BufferObject[n];
        srcOffset = new long[n];
        length = new long[n];
        value = new long[n];
        for (int i = 0; i < n; i++) {
            Object[] c = b.commands.get(i);
            kinds[i] = b.kinds.get(i);
            dst[i] = (BufferObject) c[0];
            dstOffset[i] = (Long) c[1];
            src[i] = (BufferObject) c[2];
            srcOffset[i] = (Long) c[3];
            length[i] = (Long) c[4];
            value[i] = (Long) c[5];
        }
        dependencies = b.dependencies.toArray(new Fence[0]);
        ring = b.ring;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int commandCount() {
        return kinds.length;
    }

    public int kind(int i) {
        return kinds[i];
    }

    /** Destination buffer of command {@code i} (the IB buffer for INDIRECT). */
    public BufferObject dst(int i) {
        return dst[i];
    }

    public long dstOffset(int i) {
        return dstOffset[i];
    }

    /** Source buffer of a COPY, else null. */
    public BufferObject src(int i) {
        return src[i];
    }

    public long srcOffset(int i) {
        return srcOffset[i];
    }

    /** Bytes (COPY, FILL), 4 (WRITE), 8 (TIMESTAMP), dwords (INDIRECT). */
    public long length(int i) {
        return length[i];
    }

    /** Fill byte, WRITE dword. */
    public long value(int i) {
        return value[i];
    }

    public Fence[] dependencies() {
        return dependencies.clone();
    }

    public int dependencyCount() {
        return dependencies.length;
    }

    public Fence dependency(int i) {
        return dependencies[i];
    }

    /** The SDMA instance to run on, or -1 for the client's default. */
    public int ring() {
        return ring;
    }

    /** Collects commands; every argument is checked here. Not thread-safe. */
    public static final class Builder {
        private final List<Integer> kinds = new ArrayList<>();
        private final List<Object[]> commands = new ArrayList<>();
        private final List<Fence> dependencies = new ArrayList<>();
        private int ring = -1;

        private Builder() {
        }

        /** Copies {@code bytes} from {@code src + srcOffset} to {@code dst + dstOffset} (any domains). */
        public Builder copy(BufferObject src, long srcOffset, BufferObject dst, long dstOffset, long bytes) {
            nonNull(src, "copy source");
            nonNull(dst, "copy destination");
            src.checkRange(srcOffset, bytes, "copy source");
            dst.checkRange(dstOffset, bytes, "copy destination");
            return add(COPY, dst, dstOffset, src, srcOffset, bytes, 0);
        }

        /** Sets {@code bytes} at {@code dst + offset} to {@code value}. */
        public Builder fill(BufferObject dst, long offset, long bytes, byte value) {
            nonNull(dst, "fill destination");
            dst.checkRange(offset, bytes, "fill");
            return add(FILL, dst, offset, null, 0, bytes, value & 0xFF);
        }

        /** Writes one dword at a 4-byte-aligned {@code dst + offset}. */
        public Builder writeDword(BufferObject dst, long offset, int value) {
            nonNull(dst, "write destination");
            dst.checkRange(offset, 4, "write");
            aligned(dst.gpuAddress() + offset, 4, "write");
            return add(WRITE, dst, offset, null, 0, 4, value);
        }

        /** Writes the 64-bit global GPU timestamp at an 8-byte-aligned {@code dst + offset}. */
        public Builder timestamp(BufferObject dst, long offset) {
            nonNull(dst, "timestamp destination");
            dst.checkRange(offset, 8, "timestamp");
            aligned(dst.gpuAddress() + offset, 8, "timestamp");
            return add(TIMESTAMP, dst, offset, null, 0, 8, 0);
        }

        /** Runs a prepared indirect buffer ({@code GpuClient.createIndirectBuffer}). */
        public Builder indirect(IndirectBuffer ib) {
            nonNull(ib, "indirect buffer");
            ib.buffer().checkRange(0, (long) ib.dwords() * 4, "indirect buffer");
            return add(INDIRECT, ib.buffer(), 0, null, 0, ib.dwords(), 0);
        }

        /**
         * Runs only after {@code fence} completes (any ring, any device).
         *
         * <p>If a dependency completes with an error — {@link amdvfio.driver.fence.FenceError#TIMEOUT
         * TIMEOUT}, {@link amdvfio.driver.fence.FenceError#DEVICE_LOST DEVICE_LOST} of another
         * device, or {@code CANCELED} itself — this job is not run and its fence fails with
         * {@link amdvfio.driver.fence.FenceError#CANCELED CANCELED} (-ECANCELED, amdgpu's errno for
         * work skipped because of another failure). The error propagates, as a {@code
         * dma_fence_array} carries a failed member's error, but as CANCELED rather than the
         * dependency's own error: DEVICE_LOST on a fence always means <i>its</i> device is gone, so
         * a job on a live device that waited on a lost device's fence is CANCELED and its device
         * carries on. The dependency's error is on the dependency's fence.
         */
        public Builder dependsOn(Fence fence) {
            nonNull(fence, "dependency");
            dependencies.add(fence);
            return this;
        }

        /** Runs on SDMA instance {@code instance} instead of the client's default ring. */
        public Builder onRing(int instance) {
            if (instance < 0) {
                throw new InvalidRequestException("ring index must not be negative: " + instance);
            }
            ring = instance;
            return this;
        }

        public Job build() {
            if (kinds.isEmpty() && dependencies.isEmpty()) {
                throw new InvalidRequestException("a job needs at least one command or dependency");
            }
            return new Job(this);
        }

        private Builder add(int kind, BufferObject dst, long dstOffset, BufferObject src, long srcOffset, long len, long value) {
            kinds.add(kind);
            commands.add(new Object[] {dst, dstOffset, src, srcOffset, len, value});
            return this;
        }

        private static void nonNull(Object o, String what) {
            if (o == null) {
                throw new InvalidRequestException(what + " is null");
            }
        }

        private static void aligned(long address, int alignment, String what) {
            if ((address & (alignment - 1)) != 0) {
                throw new InvalidRequestException(String.format("%s address 0x%x is not %d-byte aligned", what, address, alignment));
            }
        }
    }
}
