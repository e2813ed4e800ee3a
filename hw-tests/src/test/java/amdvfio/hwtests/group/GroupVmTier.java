package amdvfio.hwtests.group;

import amdvfio.hwtests.qemu.GuestImage;
import amdvfio.hwtests.qemu.GuestResult;
import amdvfio.hwtests.qemu.GuestScenarioRunner;
import amdvfio.hwtests.qemu.QemuGuest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GroupScenarios} in one boot of a guest with a multifunction edu slot, ivshmem-plain and
 * nvme, on one Debian kernel (the subclasses name it). Each test asserts one scenario and its
 * console lines; every test also rests on the kernel that ran and on a console free of kernel
 * warnings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GroupVmTier {

    static final List<Class<?>> SCENARIOS = List.of(GroupScenarios.G1GroupBinding.class, GroupScenarios.G2HotReset.class,
            GroupScenarios.G3GroupReplug.class, GroupScenarios.G4Bar64.class, GroupScenarios.G5Msix.class);

    GuestResult result;
    Map<String, String> status;

    abstract String kernel();

    @BeforeAll
    void bootOnce() throws Exception {
        QemuGuest.assumeQemuInstalled();
        long t0 = System.nanoTime();
        result = QemuGuest.builder(getClass().getSimpleName()).kernel(kernel()).multifunctionEdu().ivshmem().nvme()
                .mainClass(GuestScenarioRunner.class, SCENARIOS.stream().map(Class::getName).toArray(String[]::new))
                .timeout(Duration.ofSeconds(400)).run();
        status = result.scenarios();
        System.out.printf("%s: kernel %s, wall %d ms, %s%n", getClass().getSimpleName(), result.kernelRan(),
                (System.nanoTime() - t0) / 1_000_000, status);
        result.linesStartingWith("GROUP-CHECK ").forEach(l -> System.out.println("  " + l));
    }

    void assertPassed(Class<?> scenario, String... lines) {
        assertEquals("PASS", status.get(scenario.getSimpleName()), scenario.getSimpleName() + "\n" + result.describeFailure());
        for (String l : lines) {
            assertFalse(result.linesStartingWith("GROUP-CHECK " + l).isEmpty(), "no line '" + l + "'\n" + result.describeFailure());
        }
    }

    @Test
    void theNamedKernelRanAndLoggedNoWarning() {
        assertEquals(GuestImage.get(kernel()).kernelVersion(), result.kernelRan(), result.describeFailure());
        assertTrue(result.kernelRan().startsWith(kernel() + "."), result.kernelRan());
        assertEquals(List.of(), result.kernelWarnings(), result.describeFailure());
    }

    @Test
    void g1_theMultifunctionSlotIsOneGroupAndMovesAsOne() {
        assertPassed(GroupScenarios.G1GroupBinding.class, "g1 restore: both functions off vfio-pci", "g1 bind: both functions on vfio-pci");
    }

    @Test
    void g2_hotResetOfTheSlotWithOurGroup() {
        assertPassed(GroupScenarios.G2HotReset.class, "g2 hot reset of [");
    }

    @Test
    void g3_bothFunctionsReplugUnderAClientMappingAndComeBackOnVfio() {
        assertPassed(GroupScenarios.G3GroupReplug.class, "g3 remove->REQ", "g3 re-plugged fn0 opened");
    }

    @Test
    void g4_a64BitPrefetchableBarIsIndexedAndMapped() {
        assertPassed(GroupScenarios.G4Bar64.class, "g4 ");
    }

    @Test
    void g5_msixVectorsAreRegisteredAsEventfdsWhereThereIsNoMsi() {
        assertPassed(GroupScenarios.G5Msix.class, "g5 ");
    }
}
