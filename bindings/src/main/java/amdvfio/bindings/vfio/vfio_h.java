// Written in jextract's output shape for <linux/vfio.h> (the legacy container/group interface
// of Linux 6.1's uapi headers; the cdev + iommufd interface is not in them and is left out).
// jextract does not expand function-like macros, so the ioctl numbers (_IO(VFIO_TYPE,
// VFIO_BASE + n)) are written out as values; StructLayoutTest compares each with the C compiler.
package amdvfio.bindings.vfio;

import java.lang.foreign.*;

public class vfio_h {

    vfio_h() {
        // Should not be called directly
    }

    public static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    public static final ValueLayout.OfShort C_SHORT = ValueLayout.JAVA_SHORT;
    public static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    public static final ValueLayout.OfLong C_LONG = ValueLayout.JAVA_LONG;

    private static final int VFIO_API_VERSION = 0;

    /** {@snippet lang=c : #define VFIO_API_VERSION 0} */
    public static int VFIO_API_VERSION() { return VFIO_API_VERSION; }
    private static final int VFIO_TYPE1_IOMMU = 1;

    /** {@snippet lang=c : #define VFIO_TYPE1_IOMMU 1} */
    public static int VFIO_TYPE1_IOMMU() { return VFIO_TYPE1_IOMMU; }
    private static final int VFIO_TYPE1v2_IOMMU = 3;

    /** {@snippet lang=c : #define VFIO_TYPE1v2_IOMMU 3} */
    public static int VFIO_TYPE1v2_IOMMU() { return VFIO_TYPE1v2_IOMMU; }
    private static final int VFIO_NOIOMMU_IOMMU = 8;

    /** {@snippet lang=c : #define VFIO_NOIOMMU_IOMMU 8} */
    public static int VFIO_NOIOMMU_IOMMU() { return VFIO_NOIOMMU_IOMMU; }
    private static final int VFIO_GET_API_VERSION = 0x3b64;

    /** {@snippet lang=c : #define VFIO_GET_API_VERSION 0x3b64} */
    public static int VFIO_GET_API_VERSION() { return VFIO_GET_API_VERSION; }
    private static final int VFIO_CHECK_EXTENSION = 0x3b65;

    /** {@snippet lang=c : #define VFIO_CHECK_EXTENSION 0x3b65} */
    public static int VFIO_CHECK_EXTENSION() { return VFIO_CHECK_EXTENSION; }
    private static final int VFIO_SET_IOMMU = 0x3b66;

    /** {@snippet lang=c : #define VFIO_SET_IOMMU 0x3b66} */
    public static int VFIO_SET_IOMMU() { return VFIO_SET_IOMMU; }
    private static final int VFIO_GROUP_GET_STATUS = 0x3b67;

    /** {@snippet lang=c : #define VFIO_GROUP_GET_STATUS 0x3b67} */
    public static int VFIO_GROUP_GET_STATUS() { return VFIO_GROUP_GET_STATUS; }
    private static final int VFIO_GROUP_SET_CONTAINER = 0x3b68;

    /** {@snippet lang=c : #define VFIO_GROUP_SET_CONTAINER 0x3b68} */
    public static int VFIO_GROUP_SET_CONTAINER() { return VFIO_GROUP_SET_CONTAINER; }
    private static final int VFIO_GROUP_UNSET_CONTAINER = 0x3b69;

    /** {@snippet lang=c : #define VFIO_GROUP_UNSET_CONTAINER 0x3b69} */
    public static int VFIO_GROUP_UNSET_CONTAINER() { return VFIO_GROUP_UNSET_CONTAINER; }
    private static final int VFIO_GROUP_GET_DEVICE_FD = 0x3b6a;

    /** {@snippet lang=c : #define VFIO_GROUP_GET_DEVICE_FD 0x3b6a} */
    public static int VFIO_GROUP_GET_DEVICE_FD() { return VFIO_GROUP_GET_DEVICE_FD; }
    private static final int VFIO_DEVICE_GET_INFO = 0x3b6b;

    /** {@snippet lang=c : #define VFIO_DEVICE_GET_INFO 0x3b6b} */
    public static int VFIO_DEVICE_GET_INFO() { return VFIO_DEVICE_GET_INFO; }
    private static final int VFIO_DEVICE_GET_REGION_INFO = 0x3b6c;

    /** {@snippet lang=c : #define VFIO_DEVICE_GET_REGION_INFO 0x3b6c} */
    public static int VFIO_DEVICE_GET_REGION_INFO() { return VFIO_DEVICE_GET_REGION_INFO; }
    private static final int VFIO_DEVICE_GET_IRQ_INFO = 0x3b6d;

    /** {@snippet lang=c : #define VFIO_DEVICE_GET_IRQ_INFO 0x3b6d} */
    public static int VFIO_DEVICE_GET_IRQ_INFO() { return VFIO_DEVICE_GET_IRQ_INFO; }
    private static final int VFIO_DEVICE_SET_IRQS = 0x3b6e;

    /** {@snippet lang=c : #define VFIO_DEVICE_SET_IRQS 0x3b6e} */
    public static int VFIO_DEVICE_SET_IRQS() { return VFIO_DEVICE_SET_IRQS; }
    private static final int VFIO_DEVICE_RESET = 0x3b6f;

    /** {@snippet lang=c : #define VFIO_DEVICE_RESET 0x3b6f} */
    public static int VFIO_DEVICE_RESET() { return VFIO_DEVICE_RESET; }
    private static final int VFIO_DEVICE_GET_PCI_HOT_RESET_INFO = 0x3b70;

    /** {@snippet lang=c : #define VFIO_DEVICE_GET_PCI_HOT_RESET_INFO 0x3b70} */
    public static int VFIO_DEVICE_GET_PCI_HOT_RESET_INFO() { return VFIO_DEVICE_GET_PCI_HOT_RESET_INFO; }
    private static final int VFIO_DEVICE_PCI_HOT_RESET = 0x3b71;

    /** {@snippet lang=c : #define VFIO_DEVICE_PCI_HOT_RESET 0x3b71} */
    public static int VFIO_DEVICE_PCI_HOT_RESET() { return VFIO_DEVICE_PCI_HOT_RESET; }
    private static final int VFIO_IOMMU_GET_INFO = 0x3b70;

    /** {@snippet lang=c : #define VFIO_IOMMU_GET_INFO 0x3b70} */
    public static int VFIO_IOMMU_GET_INFO() { return VFIO_IOMMU_GET_INFO; }
    private static final int VFIO_IOMMU_MAP_DMA = 0x3b71;

    /** {@snippet lang=c : #define VFIO_IOMMU_MAP_DMA 0x3b71} */
    public static int VFIO_IOMMU_MAP_DMA() { return VFIO_IOMMU_MAP_DMA; }
    private static final int VFIO_IOMMU_UNMAP_DMA = 0x3b72;

    /** {@snippet lang=c : #define VFIO_IOMMU_UNMAP_DMA 0x3b72} */
    public static int VFIO_IOMMU_UNMAP_DMA() { return VFIO_IOMMU_UNMAP_DMA; }
    private static final int VFIO_GROUP_FLAGS_VIABLE = 1;

    /** {@snippet lang=c : #define VFIO_GROUP_FLAGS_VIABLE 1} */
    public static int VFIO_GROUP_FLAGS_VIABLE() { return VFIO_GROUP_FLAGS_VIABLE; }
    private static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 2;

    /** {@snippet lang=c : #define VFIO_GROUP_FLAGS_CONTAINER_SET 2} */
    public static int VFIO_GROUP_FLAGS_CONTAINER_SET() { return VFIO_GROUP_FLAGS_CONTAINER_SET; }
    private static final int VFIO_DEVICE_FLAGS_RESET = 1;

    /** {@snippet lang=c : #define VFIO_DEVICE_FLAGS_RESET 1} */
    public static int VFIO_DEVICE_FLAGS_RESET() { return VFIO_DEVICE_FLAGS_RESET; }
    private static final int VFIO_DEVICE_FLAGS_PCI = 2;

    /** {@snippet lang=c : #define VFIO_DEVICE_FLAGS_PCI 2} */
    public static int VFIO_DEVICE_FLAGS_PCI() { return VFIO_DEVICE_FLAGS_PCI; }
    private static final int VFIO_DEVICE_FLAGS_CAPS = 0x80;

    /** {@snippet lang=c : #define VFIO_DEVICE_FLAGS_CAPS 0x80} */
    public static int VFIO_DEVICE_FLAGS_CAPS() { return VFIO_DEVICE_FLAGS_CAPS; }
    private static final int VFIO_REGION_INFO_FLAG_READ = 1;

    /** {@snippet lang=c : #define VFIO_REGION_INFO_FLAG_READ 1} */
    public static int VFIO_REGION_INFO_FLAG_READ() { return VFIO_REGION_INFO_FLAG_READ; }
    private static final int VFIO_REGION_INFO_FLAG_WRITE = 2;

    /** {@snippet lang=c : #define VFIO_REGION_INFO_FLAG_WRITE 2} */
    public static int VFIO_REGION_INFO_FLAG_WRITE() { return VFIO_REGION_INFO_FLAG_WRITE; }
    private static final int VFIO_REGION_INFO_FLAG_MMAP = 4;

    /** {@snippet lang=c : #define VFIO_REGION_INFO_FLAG_MMAP 4} */
    public static int VFIO_REGION_INFO_FLAG_MMAP() { return VFIO_REGION_INFO_FLAG_MMAP; }
    private static final int VFIO_REGION_INFO_FLAG_CAPS = 8;

    /** {@snippet lang=c : #define VFIO_REGION_INFO_FLAG_CAPS 8} */
    public static int VFIO_REGION_INFO_FLAG_CAPS() { return VFIO_REGION_INFO_FLAG_CAPS; }
    private static final int VFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;

    /** {@snippet lang=c : #define VFIO_REGION_INFO_CAP_SPARSE_MMAP 1} */
    public static int VFIO_REGION_INFO_CAP_SPARSE_MMAP() { return VFIO_REGION_INFO_CAP_SPARSE_MMAP; }
    private static final int VFIO_IRQ_INFO_EVENTFD = 1;

    /** {@snippet lang=c : #define VFIO_IRQ_INFO_EVENTFD 1} */
    public static int VFIO_IRQ_INFO_EVENTFD() { return VFIO_IRQ_INFO_EVENTFD; }
    private static final int VFIO_IRQ_INFO_MASKABLE = 2;

    /** {@snippet lang=c : #define VFIO_IRQ_INFO_MASKABLE 2} */
    public static int VFIO_IRQ_INFO_MASKABLE() { return VFIO_IRQ_INFO_MASKABLE; }
    private static final int VFIO_IRQ_INFO_AUTOMASKED = 4;

    /** {@snippet lang=c : #define VFIO_IRQ_INFO_AUTOMASKED 4} */
    public static int VFIO_IRQ_INFO_AUTOMASKED() { return VFIO_IRQ_INFO_AUTOMASKED; }
    private static final int VFIO_IRQ_INFO_NORESIZE = 8;

    /** {@snippet lang=c : #define VFIO_IRQ_INFO_NORESIZE 8} */
    public static int VFIO_IRQ_INFO_NORESIZE() { return VFIO_IRQ_INFO_NORESIZE; }
    private static final int VFIO_IRQ_SET_DATA_NONE = 1;

    /** {@snippet lang=c : #define VFIO_IRQ_SET_DATA_NONE 1} */
    public static int VFIO_IRQ_SET_DATA_NONE() { return VFIO_IRQ_SET_DATA_NONE; }
    private static final int VFIO_IRQ_SET_DATA_BOOL = 2;

    /** {@snippet lang=c : #define VFIO_IRQ_SET_DATA_BOOL 2} */
    public static int VFIO_IRQ_SET_DATA_BOOL() { return VFIO_IRQ_SET_DATA_BOOL; }
    private static final int VFIO_IRQ_SET_DATA_EVENTFD = 4;

    /** {@snippet lang=c : #define VFIO_IRQ_SET_DATA_EVENTFD 4} */
    public static int VFIO_IRQ_SET_DATA_EVENTFD() { return VFIO_IRQ_SET_DATA_EVENTFD; }
    private static final int VFIO_IRQ_SET_ACTION_MASK = 8;

    /** {@snippet lang=c : #define VFIO_IRQ_SET_ACTION_MASK 8} */
    public static int VFIO_IRQ_SET_ACTION_MASK() { return VFIO_IRQ_SET_ACTION_MASK; }
    private static final int VFIO_IRQ_SET_ACTION_UNMASK = 0x10;

    /** {@snippet lang=c : #define VFIO_IRQ_SET_ACTION_UNMASK 0x10} */
    public static int VFIO_IRQ_SET_ACTION_UNMASK() { return VFIO_IRQ_SET_ACTION_UNMASK; }
    private static final int VFIO_IRQ_SET_ACTION_TRIGGER = 0x20;

    /** {@snippet lang=c : #define VFIO_IRQ_SET_ACTION_TRIGGER 0x20} */
    public static int VFIO_IRQ_SET_ACTION_TRIGGER() { return VFIO_IRQ_SET_ACTION_TRIGGER; }
    private static final int VFIO_PCI_BAR0_REGION_INDEX = 0;

    /** {@snippet lang=c : #define VFIO_PCI_BAR0_REGION_INDEX 0} */
    public static int VFIO_PCI_BAR0_REGION_INDEX() { return VFIO_PCI_BAR0_REGION_INDEX; }
    private static final int VFIO_PCI_BAR1_REGION_INDEX = 1;

    /** {@snippet lang=c : #define VFIO_PCI_BAR1_REGION_INDEX 1} */
    public static int VFIO_PCI_BAR1_REGION_INDEX() { return VFIO_PCI_BAR1_REGION_INDEX; }
    private static final int VFIO_PCI_BAR2_REGION_INDEX = 2;

    /** {@snippet lang=c : #define VFIO_PCI_BAR2_REGION_INDEX 2} */
    public static int VFIO_PCI_BAR2_REGION_INDEX() { return VFIO_PCI_BAR2_REGION_INDEX; }
    private static final int VFIO_PCI_BAR3_REGION_INDEX = 3;

    /** {@snippet lang=c : #define VFIO_PCI_BAR3_REGION_INDEX 3} */
    public static int VFIO_PCI_BAR3_REGION_INDEX() { return VFIO_PCI_BAR3_REGION_INDEX; }
    private static final int VFIO_PCI_BAR4_REGION_INDEX = 4;

    /** {@snippet lang=c : #define VFIO_PCI_BAR4_REGION_INDEX 4} */
    public static int VFIO_PCI_BAR4_REGION_INDEX() { return VFIO_PCI_BAR4_REGION_INDEX; }
    private static final int VFIO_PCI_BAR5_REGION_INDEX = 5;

    /** {@snippet lang=c : #define VFIO_PCI_BAR5_REGION_INDEX 5} */
    public static int VFIO_PCI_BAR5_REGION_INDEX() { return VFIO_PCI_BAR5_REGION_INDEX; }
    private static final int VFIO_PCI_ROM_REGION_INDEX = 6;

    /** {@snippet lang=c : #define VFIO_PCI_ROM_REGION_INDEX 6} */
    public static int VFIO_PCI_ROM_REGION_INDEX() { return VFIO_PCI_ROM_REGION_INDEX; }
    private static final int VFIO_PCI_CONFIG_REGION_INDEX = 7;

    /** {@snippet lang=c : #define VFIO_PCI_CONFIG_REGION_INDEX 7} */
    public static int VFIO_PCI_CONFIG_REGION_INDEX() { return VFIO_PCI_CONFIG_REGION_INDEX; }
    private static final int VFIO_PCI_VGA_REGION_INDEX = 8;

    /** {@snippet lang=c : #define VFIO_PCI_VGA_REGION_INDEX 8} */
    public static int VFIO_PCI_VGA_REGION_INDEX() { return VFIO_PCI_VGA_REGION_INDEX; }
    private static final int VFIO_PCI_NUM_REGIONS = 9;

    /** {@snippet lang=c : #define VFIO_PCI_NUM_REGIONS 9} */
    public static int VFIO_PCI_NUM_REGIONS() { return VFIO_PCI_NUM_REGIONS; }
    private static final int VFIO_PCI_INTX_IRQ_INDEX = 0;

    /** {@snippet lang=c : #define VFIO_PCI_INTX_IRQ_INDEX 0} */
    public static int VFIO_PCI_INTX_IRQ_INDEX() { return VFIO_PCI_INTX_IRQ_INDEX; }
    private static final int VFIO_PCI_MSI_IRQ_INDEX = 1;

    /** {@snippet lang=c : #define VFIO_PCI_MSI_IRQ_INDEX 1} */
    public static int VFIO_PCI_MSI_IRQ_INDEX() { return VFIO_PCI_MSI_IRQ_INDEX; }
    private static final int VFIO_PCI_MSIX_IRQ_INDEX = 2;

    /** {@snippet lang=c : #define VFIO_PCI_MSIX_IRQ_INDEX 2} */
    public static int VFIO_PCI_MSIX_IRQ_INDEX() { return VFIO_PCI_MSIX_IRQ_INDEX; }
    private static final int VFIO_PCI_ERR_IRQ_INDEX = 3;

    /** {@snippet lang=c : #define VFIO_PCI_ERR_IRQ_INDEX 3} */
    public static int VFIO_PCI_ERR_IRQ_INDEX() { return VFIO_PCI_ERR_IRQ_INDEX; }
    private static final int VFIO_PCI_REQ_IRQ_INDEX = 4;

    /** {@snippet lang=c : #define VFIO_PCI_REQ_IRQ_INDEX 4} */
    public static int VFIO_PCI_REQ_IRQ_INDEX() { return VFIO_PCI_REQ_IRQ_INDEX; }
    private static final int VFIO_PCI_NUM_IRQS = 5;

    /** {@snippet lang=c : #define VFIO_PCI_NUM_IRQS 5} */
    public static int VFIO_PCI_NUM_IRQS() { return VFIO_PCI_NUM_IRQS; }
    private static final int VFIO_IOMMU_INFO_PGSIZES = 1;

    /** {@snippet lang=c : #define VFIO_IOMMU_INFO_PGSIZES 1} */
    public static int VFIO_IOMMU_INFO_PGSIZES() { return VFIO_IOMMU_INFO_PGSIZES; }
    private static final int VFIO_IOMMU_INFO_CAPS = 2;

    /** {@snippet lang=c : #define VFIO_IOMMU_INFO_CAPS 2} */
    public static int VFIO_IOMMU_INFO_CAPS() { return VFIO_IOMMU_INFO_CAPS; }
    private static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;

    /** {@snippet lang=c : #define VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE 1} */
    public static int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE() { return VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE; }
    private static final int VFIO_DMA_MAP_FLAG_READ = 1;

    /** {@snippet lang=c : #define VFIO_DMA_MAP_FLAG_READ 1} */
    public static int VFIO_DMA_MAP_FLAG_READ() { return VFIO_DMA_MAP_FLAG_READ; }
    private static final int VFIO_DMA_MAP_FLAG_WRITE = 2;

    /** {@snippet lang=c : #define VFIO_DMA_MAP_FLAG_WRITE 2} */
    public static int VFIO_DMA_MAP_FLAG_WRITE() { return VFIO_DMA_MAP_FLAG_WRITE; }
    private static final int VFIO_DMA_UNMAP_FLAG_ALL = 2;

    /** {@snippet lang=c : #define VFIO_DMA_UNMAP_FLAG_ALL 2} */
    public static int VFIO_DMA_UNMAP_FLAG_ALL() { return VFIO_DMA_UNMAP_FLAG_ALL; }
}
