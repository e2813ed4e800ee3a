package amdvfio.hwtests.group;

import amdvfio.hwtests.qemu.GuestResult;
import amdvfio.hwtests.qemu.GuestScenarioRunner;
import amdvfio.hwtests.qemu.QemuGuest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The long one: N remove/rescan cycles of the multifunction slot's group under a client mapping
 * ({@link GroupReplugLoop}), with 0 leaked fds or mappings and no kernel warning. Not in the
 * normal run: {@code -Dtest=GroupReplugLoopVmTest -Damdvfio.vm.loop=1000 [-Damdvfio.vm.kernel=6.12]}.
 */
@Tag("vm-loop")
class GroupReplugLoopVmTest {

    @Test
    void aThousandGroupReplugsLeakNothingAndWarnNothing() throws Exception {
        QemuGuest.assumeQemuInstalled();
        Integer n = Integer.getInteger("amdvfio.vm.loop");
        Assumptions.assumeTrue(n != null, "the 1000-cycle loop runs with -Damdvfio.vm.loop=1000");
        long t0 = System.nanoTime();
        GuestResult r = QemuGuest.builder("GroupReplugLoopVmTest").multifunctionEdu()
                .addJvmArgs("-Damdvfio.vm.loop=" + n)
                .mainClass(GuestScenarioRunner.class, GroupReplugLoop.class.getName())
                .timeout(Duration.ofSeconds(60L + 5L * n)).run();
        System.out.printf("GroupReplugLoopVmTest: kernel %s, %d cycles, wall %d s%n", r.kernelRan(), n,
                (System.nanoTime() - t0) / 1_000_000_000L);
        r.linesStartingWith("GROUP-CHECK loop ").forEach(l -> System.out.println("  " + l));
        r.assertSucceeded();
        assertEquals(List.of(), r.kernelWarnings(), r.describeFailure());
    }
}
