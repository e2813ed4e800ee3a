package amdvfio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import amdvfio.driver.bo.BufferObject;
import amdvfio.driver.bo.Domain;
import amdvfio.driver.client.GpuClient;
import amdvfio.driver.fence.Fence;
import amdvfio.sim.SimProfile;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad requests get a typed error before anything reaches a ring, and leave nothing half-submitted. */
class BadInputTest {

    static SimFixture f;

    @BeforeAll
    static void open() {
        f = new SimFixture(SimProfile.NAVI21);
    }

    @AfterAll
    static void close() {
        f.close();
    }

    private static long engineWptr() {
        return f.card.engine(0).wptr();
    }

    @Test
    void zeroNegativeAndOversizedAllocationsAreRefused() {
        assertThrows(InvalidRequestException.class, () -> f.client.allocate(Domain.GTT, 0));
        assertThrows(InvalidRequestException.class, () -> f.client.allocate(Domain.VRAM, -4096));
        assertThrows(OutOfDeviceMemoryException.class, () -> f.client.allocate(Domain.VRAM, Long.MAX_VALUE / 2));
    }

    @Test
    void rangesOutsideABufferAreRefusedWhenTheJobIsBuilt() {
        BufferObject bo = f.client.allocate(Domain.GTT, 4096);
        assertThrows(InvalidRequestException.class, () -> Job.builder().copy(bo, 0, bo, 1, 4096));
        assertThrows(InvalidRequestException.class, () -> Job.builder().fill(bo, -1, 4, (byte) 0));
        assertThrows(InvalidRequestException.class, () -> Job.builder().fill(bo, 0, 0, (byte) 0));
        assertThrows(InvalidRequestException.class, () -> Job.builder().writeDword(bo, 4094, 1));
        assertThrows(InvalidRequestException.class, () -> Job.builder().writeDword(bo, 2, 1), "unaligned");
        assertThrows(InvalidRequestException.class, () -> Job.builder().timestamp(bo, 4));
        assertThrows(InvalidRequestException.class, () -> Job.builder().build(), "empty job");
        f.client.free(bo);
    }

    @Test
    void aBufferOfAnotherClientIsRefusedAndNothingReachesTheRing() throws Exception {
        try (GpuClient other = f.gpu.openClient()) {
            BufferObject mine = f.client.allocate(Domain.GTT, 4096);
            BufferObject theirs = other.allocate(Domain.GTT, 4096);
            Fence warm = f.client.submit(Job.builder().writeDword(mine, 0, 1).build());
            assertTrue(f.client.await(warm, Duration.ofSeconds(5)));
            long before = engineWptr();
            Job job = Job.builder().writeDword(mine, 0, 2).copy(theirs, 0, mine, 0, 16).build();
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> f.client.submit(job));
            assertTrue(e.getMessage().contains("another client"), e.getMessage());
            assertEquals(before, engineWptr(), "nothing half-submitted");
            assertThrows(InvalidRequestException.class, () -> f.client.map(theirs));
            assertThrows(InvalidRequestException.class, () -> f.client.free(theirs));
            f.client.free(mine);
        }
    }

    @Test
    void useAfterFreeAndSubmissionOnAClosedClientAreRefused() {
        GpuClient c = f.gpu.openClient();
        BufferObject bo = c.allocate(Domain.GTT, 4096);
        Job job = Job.builder().writeDword(bo, 0, 1).build();
        c.free(bo);
        assertThrows(ClientClosedException.class, () -> c.submit(job));
        assertThrows(ClientClosedException.class, () -> c.map(bo));
        BufferObject bo2 = c.allocate(Domain.VRAM, 4096);
        Job job2 = Job.builder().writeDword(bo2, 0, 1).build();
        c.close();
        assertThrows(ClientClosedException.class, () -> c.submit(job2));
        assertThrows(ClientClosedException.class, () -> c.allocate(Domain.GTT, 4096));
        assertTrue(bo2.isClosed(), "closing the client freed its buffers");
    }

    @Test
    void aForeignFenceMustBeExportedBeforeItCanBeAwaitedOrDependedOn() throws Exception {
        try (GpuClient other = f.gpu.openClient()) {
            BufferObject theirs = other.allocate(Domain.GTT, 4096);
            BufferObject mine = f.client.allocate(Domain.GTT, 4096);
            Fence foreign = other.submit(Job.builder().writeDword(theirs, 0, 1).build());
            assertThrows(InvalidRequestException.class, () -> f.client.await(foreign, Duration.ofSeconds(1)));
            long before = engineWptr();
            assertThrows(InvalidRequestException.class,
                    () -> f.client.submit(Job.builder().dependsOn(foreign).writeDword(mine, 0, 1).build()));
            assertEquals(before, engineWptr(), "nothing half-submitted");
            Fence imported = f.client.importFence(other.exportFence(foreign));
            assertTrue(f.client.await(imported, Duration.ofSeconds(5)));
            f.client.free(mine);
        }
    }

    @Test
    void aRingThatDoesNotExistIsRefused() {
        BufferObject bo = f.client.allocate(Domain.GTT, 4096);
        assertThrows(InvalidRequestException.class, () -> f.client.submit(Job.builder().onRing(9).writeDword(bo, 0, 1).build()));
        assertThrows(InvalidRequestException.class, () -> Job.builder().onRing(-1));
        f.client.free(bo);
    }

    @Test
    void onlyGttBuffersCanBeExportedAsADescriptor() {
        BufferObject vram = f.client.allocate(Domain.VRAM, 4096);
        assertThrows(InvalidRequestException.class, () -> f.client.exportBuffer(vram));
        f.client.free(vram);
    }
}
