package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.vfio.PciAddress;
import amdvfio.vfio.PciDevice;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class UnsupportedDeviceTest {

    /** A PCI function that answers only its identity; any other call fails the test. */
    private static PciDevice device(int vendor, int deviceId, AtomicBoolean closed) {
        return (PciDevice) Proxy.newProxyInstance(PciDevice.class.getClassLoader(), new Class<?>[] {PciDevice.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "vendorId" -> vendor;
                    case "deviceId" -> deviceId;
                    case "address" -> PciAddress.parse("0000:09:00.0");
                    case "close" -> {
                        closed.set(true);
                        yield null;
                    }
                    case "toString" -> "fake";
                    default -> throw new AssertionError("the driver touched " + method.getName() + " of an unsupported device");
                });
    }

    @Test
    void aNonAmdDeviceIsRefusedWithATypedErrorBeforeAnyRegisterIsTouched() {
        AtomicBoolean closed = new AtomicBoolean();
        UnsupportedDeviceException e = assertThrows(UnsupportedDeviceException.class,
                () -> Gpu.open(device(0x8086, 0x1572, closed)));
        assertTrue(e.getMessage().contains("8086:1572"), e.getMessage());
        assertTrue(closed.get());
    }

    @Test
    void anAmdDeviceOutsideTheProfilesIsRefused() {
        AtomicBoolean closed = new AtomicBoolean();
        assertThrows(UnsupportedDeviceException.class, () -> Gpu.open(device(0x1002, 0x1478, closed)));
    }
}
