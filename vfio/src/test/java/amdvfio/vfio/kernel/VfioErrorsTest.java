package amdvfio.vfio.kernel;

import amdvfio.os.Errno;
import amdvfio.os.SyscallException;
import amdvfio.vfio.VfioException;
import amdvfio.vfio.VfioPermissionException;
import amdvfio.vfio.VfioUnavailableException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VfioErrorsTest {

    static SyscallException failed(String path, Errno e) {
        return new SyscallException("open(" + path + ")", e.number());
    }

    @Test
    void shouldMapEaccesAndEpermOnAnyNodeToThePermissionError() {
        for (Errno e : new Errno[] {Errno.EACCES, Errno.EPERM}) {
            assertInstanceOf(VfioPermissionException.class,
                    VfioErrors.openingContainer("/dev/vfio/vfio", failed("/dev/vfio/vfio", e)));
            VfioException g = VfioErrors.openingGroup("/dev/vfio/12", 12, failed("/dev/vfio/12", e));
            assertInstanceOf(VfioPermissionException.class, g);
            assertTrue(g.getMessage().contains("/dev/vfio/12") && g.getMessage().contains(e.name()), g.getMessage());
        }
    }

    @Test
    void shouldMapAMissingContainerToVfioNotLoaded() {
        assertInstanceOf(VfioUnavailableException.class,
                VfioErrors.openingContainer("/dev/vfio/vfio", failed("/dev/vfio/vfio", Errno.ENOENT)));
    }

    @Test
    void shouldExplainAMissingOrBusyGroup() {
        VfioException missing = VfioErrors.openingGroup("/dev/vfio/12", 12, failed("/dev/vfio/12", Errno.ENOENT));
        VfioException busy = VfioErrors.openingGroup("/dev/vfio/12", 12, failed("/dev/vfio/12", Errno.EBUSY));

        assertTrue(missing.getMessage().contains("bound to vfio-pci"), missing.getMessage());
        assertTrue(busy.getMessage().contains("already open"), busy.getMessage());
    }

    @Test
    void shouldPointAtTheMemlockLimitWhenDmaMappingRunsOutOfMemory() {
        VfioException e = VfioErrors.mappingDma(0x10000, 0x2000,
                new SyscallException("ioctl(VFIO_IOMMU_MAP_DMA)", Errno.ENOMEM.number()));

        assertTrue(e.getMessage().contains("ulimit -l"), e.getMessage());
        assertTrue(e.getMessage().contains("[0x10000, 0x12000)"), e.getMessage());
    }

    @Test
    void shouldExplainSetIommuEpermAsMissingInterruptRemapping() {
        VfioException e = VfioErrors.settingIommu(new SyscallException("ioctl(VFIO_SET_IOMMU)", Errno.EPERM.number()));
        assertTrue(e.getMessage().contains("interrupt remapping"), e.getMessage());
    }
}
