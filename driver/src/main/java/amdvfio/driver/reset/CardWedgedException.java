package amdvfio.driver.reset;

import amdvfio.driver.GpuException;

/** The card cannot be started (the PSP bootloader never becomes ready); the message says what the user can do. */
public class CardWedgedException extends GpuException {

    public CardWedgedException(String message) {
        super(message);
    }
}
