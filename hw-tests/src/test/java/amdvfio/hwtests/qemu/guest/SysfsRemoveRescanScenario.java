package amdvfio.hwtests.qemu.guest;

import amdvfio.hwtests.qemu.GuestScenario;

/**
 * Guest scenario: the kernel-side removal and return of the (unopened) edu device through sysfs,
 * as the hot-unplug scenarios will do while a program holds it: remove, wait until it is gone,
 * rescan, wait until vfio-pci has bound it again (the new_id entry persists).
 */
public final class SysfsRemoveRescanScenario implements GuestScenario {

    @Override
    public void run() throws Throwable {
        if (!EduSysfs.boundToVfioPci()) throw new IllegalStateException("edu not bound to vfio-pci: " + EduSysfs.driver());
        long t0 = System.nanoTime();
        EduSysfs.remove();
        long gone = EduSysfs.await("device gone", () -> !EduSysfs.present(), 10_000);
        System.out.printf("REMOVE write took %d ms, device gone after %d ms%n", (System.nanoTime() - t0) / 1_000_000, gone);
        EduSysfs.rescan();
        long back = EduSysfs.await("device bound to vfio-pci again", EduSysfs::boundToVfioPci, 10_000);
        System.out.printf("RESCAN device back on vfio-pci after %d ms%n", back);
    }
}
