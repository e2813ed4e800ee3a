package amdvfio.sim.regs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * The BAR5 register space: one int per dword, plus per-dword hooks for the registers the model
 * gives behaviour to. A register without a hook is plain storage (reads return what was
 * written, 0 after reset), which is what a driver sees for the many registers the model does
 * not interpret.
 *
 * <p>Registers beyond the BAR (a Navi31's NBIO segment 3, reached only through the PCIE
 * index/data pair) live in a sparse map: {@link #read}/{@link #write} take any non-negative dword;
 * the BAR itself refuses such offsets before they get here.
 *
 * <p>Threading: writes, and reads of registers with a hook, hold the file's monitor, so a hook runs
 * atomically with respect to every other write and hooked read. A read of a plain register takes
 * no lock — an acquire load of a value stored with release, so it sees the last write completed
 * before it: the GMC reads about ten hub registers per translation, and the device's register
 * monitor (an inflated one: the engines wait on it) cost every memory-touching packet half its
 * time. Hooks must not block; they may notify engines.
 */
public final class RegisterFile {

    /** Behaviour of one register. */
    public interface Hook {
        /** Returns the value a read sees; {@code stored} is the raw storage. */
        default int read(int stored) {
            return stored;
        }

        /** Called after a write stored {@code value} (for read-only registers: the write is dropped first). */
        void written(int value, int old);
    }

    /** A hook for a register whose reads are computed and whose writes are ignored. */
    public interface ReadOnly extends Hook {
        int value();

        @Override
        default int read(int stored) {
            return value();
        }

        @Override
        default void written(int value, int old) {
        }
    }

    private static final VarHandle VALUES = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle HOOKS = MethodHandles.arrayElementVarHandle(Hook[].class);

    private final int[] values;
    /**
     * Hooks of the BAR's dwords by index: every register access looks one up (the GMC alone
     * reads a handful of hub registers per translation), so no boxing, no hashing.
     */
    private final Hook[] hooks;
    private final Map<Integer, Hook> hooksBeyond = new HashMap<>();
    private final Map<Integer, Integer> beyond = new HashMap<>();

    public RegisterFile(long barBytes) {
        this.values = new int[(int) (barBytes / 4)];
        this.hooks = new Hook[values.length];
    }

    public int dwordCount() {
        return values.length;
    }

    /** True if {@code dword} is a register of this BAR. */
    public boolean contains(int dword) {
        return dword >= 0 && dword < values.length;
    }

    public synchronized void hook(int dword, Hook hook) {
        if (dword < 0) {
            throw new IllegalArgumentException(String.format("register dword 0x%x", dword));
        }
        if (hookOf(dword) != null) {
            throw new IllegalStateException(String.format("register dword 0x%x already has a hook", dword));
        }
        if (dword < hooks.length) {
            HOOKS.setRelease(hooks, dword, hook);
        } else {
            hooksBeyond.put(dword, hook);
        }
    }

    private Hook hookOf(int dword) {
        return dword < hooks.length ? (Hook) HOOKS.getAcquire(hooks, dword) : hooksBeyond.get(dword);
    }

    public int read(int dword) {
        if (dword >= 0 && dword < values.length && HOOKS.getAcquire(hooks, dword) == null) {
            return (int) VALUES.getAcquire(values, dword);
        }
        return readHooked(dword);
    }

    private synchronized int readHooked(int dword) {
        if (dword < 0) {
            return 0;
        }
        int stored = dword < values.length ? values[dword] : beyond.getOrDefault(dword, 0);
        Hook h = hookOf(dword);
        return h == null ? stored : h.read(stored);
    }

    public synchronized void write(int dword, int value) {
        if (dword < 0) {
            return;
        }
        Hook h = hookOf(dword);
        if (h instanceof ReadOnly) {
            return;
        }
        int old;
        if (dword < values.length) {
            old = values[dword];
            VALUES.setRelease(values, dword, value);
        } else {
            old = beyond.getOrDefault(dword, 0);
            beyond.put(dword, value);
        }
        if (h != null) {
            h.written(value, old);
        }
    }

    /**
     * Raw storage, bypassing hooks: for the model's own state (status bits it publishes). The
     * model checks indices that come from packets with {@link #contains} first; a bad one here is
     * a model bug and throws.
     */
    public synchronized int raw(int dword) {
        check(dword);
        return values[dword];
    }

    public synchronized void setRaw(int dword, int value) {
        check(dword);
        VALUES.setRelease(values, dword, value);
    }

    /** Back to reset values (all zero); hooks stay. */
    public synchronized void clear() {
        for (int i = 0; i < values.length; i++) {
            VALUES.setRelease(values, i, 0);
        }
        beyond.clear();
    }

    private void check(int dword) {
        if (dword < 0 || dword >= values.length) {
            throw new IllegalArgumentException(String.format(
                    "register dword 0x%x is outside BAR5 (0x%x dwords)", dword, values.length));
        }
    }
}
