package amdvfio.hwtests.group;

import amdvfio.hwtests.qemu.GuestScenario;
import amdvfio.vfio.PciAddress;

import java.util.Arrays;

import static amdvfio.hwtests.group.GuestPci.out;

/**
 * {@code -Damdvfio.vm.loop=N} cycles of {@link ReplugCycle} (default 1000): prints the
 * REQ→release distribution and the time; any leak or failure stops it with the cycle number.
 */
public final class GroupReplugLoop implements GuestScenario {

    @Override
    public void run() throws Throwable {
        int n = Integer.getInteger("amdvfio.vm.loop", 1000);
        PciAddress fn0 = GuestPci.multifunctionEdu();
        long[] reqToRelease = new long[n];
        long[] removeToReq = new long[n];
        long t0 = System.nanoTime();
        int claimedCycles = 0;
        for (int i = 0; i < n; i++) {
            ReplugCycle.Result r;
            try {
                r = ReplugCycle.once(GroupScenarios.BINDER, fn0, false);
            } catch (Throwable t) {
                throw new IllegalStateException("cycle " + (i + 1) + " of " + n + ": " + t.getMessage(), t);
            }
            reqToRelease[i] = r.reqToReleaseMs();
            removeToReq[i] = r.removeToReqMs();
            claimedCycles += r.claimedOnAdd().isEmpty() ? 0 : 1;
            if ((i + 1) % 100 == 0) {
                System.out.printf("GROUP-LOOP progress %d/%d, %d s%n", i + 1, n, (System.nanoTime() - t0) / 1_000_000_000L);
            }
        }
        out("loop", String.format("%d cycles in %d s; REQ->release ms %s; remove->REQ ms %s; overrides applied on the add uevent "
                + "in %d cycles; 0 leaked fds or mappings", n, (System.nanoTime() - t0) / 1_000_000_000L, dist(reqToRelease),
                dist(removeToReq), claimedCycles));
    }

    static String dist(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return String.format("min %d median %d p90 %d p99 %d max %d", s[0], s[s.length / 2], s[(int) (s.length * 0.9)],
                s[Math.min(s.length - 1, (int) (s.length * 0.99))], s[s.length - 1]);
    }
}
