package amdvfio.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bindings against the C compiler: every struct size, field offset, constant, ioctl number
 * and errno the Java side defines is printed by a gcc-compiled probe over the system's own
 * headers ({@code /usr/include/linux/vfio.h}, {@code sys/epoll.h}, ...) and must match.
 */
class StructLayoutTest {

    @Test
    void everyStructFieldConstantAndIoctlMatchesTheCCompiler(@TempDir Path dir) throws Exception {
        BindingFacts facts = BindingFacts.scan();
        Map<String, Long> c = CProbe.run(facts, dir);

        List<String> diff = BindingFacts.differences(facts.claims(), c);

        if (!diff.isEmpty()) {
            fail("the bindings disagree with the C headers in " + diff.size() + " place(s):\n  "
                    + String.join("\n  ", diff));
        }
        // Guard against a scan that silently found nothing.
        assertTrue(facts.structs().size() >= 18, "structs checked: " + facts.structs());
        assertTrue(facts.constants().contains("VFIO_DEVICE_SET_IRQS"), "ioctl numbers are among the checked constants");
        assertTrue(facts.fields().contains("epoll_event.data"), "fields checked: " + facts.fields().size());
        System.out.printf("checked %d structs, %d fields, %d constants against gcc%n",
                facts.structs().size(), facts.fields().size(), facts.constants().size());
    }

    @Test
    void aWrongOffsetOrIoctlNumberIsReportedReadably(@TempDir Path dir) throws Exception {
        BindingFacts facts = BindingFacts.scan();
        Map<String, Long> c = CProbe.run(facts, dir);
        Map<String, Long> broken = new HashMap<>(facts.claims());
        broken.put("offsetof vfio_region_info.offset", 20L);
        broken.put("const VFIO_IOMMU_MAP_DMA", 0x3b70L);

        List<String> diff = BindingFacts.differences(broken, c);

        assertEquals(2, diff.size(), String.join("\n", diff));
        assertTrue(diff.contains("offsetof vfio_region_info.offset: Java says 20 (0x14), C says 24 (0x18)"), diff.toString());
        assertTrue(diff.contains("const VFIO_IOMMU_MAP_DMA: Java says 15216 (0x3b70), C says 15217 (0x3b71)"), diff.toString());
    }
}
