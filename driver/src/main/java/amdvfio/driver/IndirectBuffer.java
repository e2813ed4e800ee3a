package amdvfio.driver;

import amdvfio.driver.bo.BufferObject;

/**
 * SDMA commands encoded once into a GTT buffer, padded to 8 dwords ({@code sdma_v*_ring_pad_ib}),
 * that jobs run with an INDIRECT_BUFFER packet as often as they like. Created by
 * {@code GpuClient.createIndirectBuffer}; freed with its buffer.
 */
public record IndirectBuffer(BufferObject buffer, int dwords) {
}
