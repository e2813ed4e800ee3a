package amdvfio.vfio.sysfs;

/** Human names for the PCI class codes (from the PCI code and ID assignment spec). */
public final class PciClassNames {

    private PciClassNames() {
    }

    /** "a VGA controller (1002:73bf)". */
    public static String describe(PciFunction f) {
        String name = className(f.classCode());
        String article = "AEIOUaeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ";
        return article + name + " (" + f.ids() + ")";
    }

    public static String className(int classCode) {
        int baseSub = classCode >>> 8;
        return switch (baseSub) {
            case 0x0300 -> "VGA controller";
            case 0x0301 -> "XGA controller";
            case 0x0302 -> "3D controller";
            case 0x0380 -> "Display controller";
            case 0x1200 -> "Processing accelerator";
            case 0x0200 -> "Ethernet controller";
            case 0x0100 -> "SCSI controller";
            case 0x0106 -> "SATA controller";
            case 0x0108 -> "NVMe controller";
            case 0x0180 -> "Mass storage controller";
            case 0x0780 -> "Communication controller";
            case 0x00ff, 0xffff -> "Unassigned class";
            case 0x0403 -> "Audio device";
            case 0x0600 -> "Host bridge";
            case 0x0601 -> "ISA bridge";
            case 0x0604 -> "PCI bridge";
            case 0x0c03 -> "USB controller";
            case 0x0000 -> "Unclassified device";
            default -> (classCode >>> 16) == 0x03 ? "Display controller" : String.format("class %04x", baseSub);
        };
    }
}
