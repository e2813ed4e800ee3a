package amdvfio.driver;

import amdvfio.driver.bo.Domain;

/**
 * What a removal did to one buffer's contents, as seen through its CPU mappings afterwards.
 *
 * @param client     the owning client ("client-3")
 * @param domain     VRAM or GTT
 * @param gpuAddress the buffer's GPU address (identifies it in logs)
 * @param size       bytes
 * @param fate       what happened
 * @param bytesSaved bytes copied to host memory (SAVED), else 0
 * @param nanos      time from the start of the save to this buffer's copy completing (SAVED), else 0
 */
public record BufferFate(String client, Domain domain, long gpuAddress, long size, Fate fate, long bytesSaved,
                         long nanos) {

    public enum Fate {
        /** VRAM copied to host memory with SDMA during the orderly-removal window: mappings keep the data. */
        SAVED,
        /** VRAM lost (surprise removal, device gone, or past the save budget): mappings read dummy memory. */
        DUMMY,
        /** GTT: host memory all along, never rerouted, contents kept. */
        KEPT
    }
}
