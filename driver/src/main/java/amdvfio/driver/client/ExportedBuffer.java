package amdvfio.driver.client;

import amdvfio.os.Fd;

/**
 * A GTT buffer exported as a file descriptor of its memfd (the dma-buf role): a descriptor of its
 * own, valid after the exporting buffer is freed, that another client — of this device or
 * another — imports, or that any process can mmap. Close it when done.
 */
public record ExportedBuffer(Fd fd, long size) implements AutoCloseable {

    @Override
    public void close() {
        fd.close();
    }
}
