package amdvfio.hwtests.qemu.guest;

import amdvfio.hwtests.qemu.GuestScenario;

/**
 * Guest half of a host-driven physical-extraction analogue: prints READY-FOR-DEVICE-DEL, sees the
 * device vanish after the host's QMP device_del, prints DEVICE-GONE, and sees it come back on
 * vfio-pci after the host's device_add, printing DEVICE-BACK.
 */
public final class QmpUnplugReplugScenario implements GuestScenario {

    @Override
    public void run() throws Throwable {
        if (!EduSysfs.boundToVfioPci()) throw new IllegalStateException("edu not bound to vfio-pci: " + EduSysfs.driver());
        System.out.println("READY-FOR-DEVICE-DEL");
        long gone = EduSysfs.await("device_del from the host", () -> !EduSysfs.present(), 60_000);
        System.out.println("DEVICE-GONE after " + gone + " ms");
        long back = EduSysfs.await("device_add from the host", EduSysfs::boundToVfioPci, 60_000);
        System.out.println("DEVICE-BACK after " + back + " ms, driver " + EduSysfs.driver());
    }
}
