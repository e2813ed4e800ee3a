package amdvfio.driver.firmware;

import amdvfio.bindings.amdgpu.amdgpu_ucode_h;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_0;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_1;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_2;
import amdvfio.bindings.amdgpu.psp_firmware_header_v1_3;
import amdvfio.bindings.amdgpu.psp_firmware_header_v2_0;
import amdvfio.bindings.amdgpu.psp_fw_bin_desc;
import amdvfio.bindings.amdgpu.psp_fw_legacy_bin_desc;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The PSP's own firmware, {@code <chip>_sos.bin}, cut into its components the way
 * {@code psp_init_sos_microcode} does (amdgpu_psp.c): header v1.x holds the sys driver at the
 * start of the ucode array and the sOS at {@code sos.offset_bytes}, with TOC/KDB (v1.1: relative
 * to the sys driver; v1.3: to the ucode array), SPL and RL (v1.3); header v2.x holds a table of
 * {@code psp_fw_bin_desc}, offsets relative to the ucode array. A component of size 0 is absent.
 * The sys driver and the sOS must be present ("PSP SOS FW not available" otherwise).
 */
public final class SosFirmware {

    private final FirmwareFile file;
    private final Map<PspComponentKind, PspComponent> components;

    private SosFirmware(FirmwareFile file, Map<PspComponentKind, PspComponent> components) {
        this.file = file;
        this.components = Collections.unmodifiableMap(components);
    }

    /** Parses the file; {@code pspMajor} is the MP0 major the profile expects (3, 11 or 13). */
    public static SosFirmware parse(FirmwareFile file, int pspMajor) {
        file.requireType("PSP sOS", pspMajor, 1, 2);
        Map<PspComponentKind, PspComponent> parts = new EnumMap<>(PspComponentKind.class);
        if (file.header().headerMajor() == 1) {
            readV1(file, parts);
        } else {
            readV2(file, parts);
        }
        for (PspComponentKind needed : new PspComponentKind[] {PspComponentKind.SYS_DRV, PspComponentKind.SOS}) {
            if (!parts.containsKey(needed)) {
                throw file.corrupt("wrong type: no " + needed + " component (amdgpu: \"PSP SOS FW not available\")");
            }
        }
        return new SosFirmware(file, parts);
    }

    private static void readV1(FirmwareFile file, Map<PspComponentKind, PspComponent> parts) {
        MemorySegment h = file.bytes();
        long array = file.header().ucodeArrayOffsetBytes();
        int minor = file.header().headerMinor();
        file.requireHeaderBytes("psp_firmware_header_v1_" + minor, headerSizeV1(minor));
        MemorySegment sos = psp_firmware_header_v1_0.sos(h);
        long sosOffset = u32(psp_fw_legacy_bin_desc.offset_bytes(sos));
        long ucodeVersion = file.header().ucodeVersion();
        put(file, parts, PspComponentKind.SYS_DRV, ucodeVersion, array, sosOffset);
        put(file, parts, PspComponentKind.SOS, ucodeVersion, array + sosOffset, u32(psp_fw_legacy_bin_desc.size_bytes(sos)));
        if (minor == 1) {
            legacy(file, parts, PspComponentKind.TOC, psp_firmware_header_v1_1.toc(h), array);
            legacy(file, parts, PspComponentKind.KDB, psp_firmware_header_v1_1.kdb(h), array);
        } else if (minor == 2) {
            legacy(file, parts, PspComponentKind.KDB, psp_firmware_header_v1_2.kdb(h), array);
        } else if (minor == 3) {
            MemorySegment v11 = psp_firmware_header_v1_3.v1_1(h);
            legacy(file, parts, PspComponentKind.TOC, psp_firmware_header_v1_1.toc(v11), array);
            legacy(file, parts, PspComponentKind.KDB, psp_firmware_header_v1_1.kdb(v11), array);
            legacy(file, parts, PspComponentKind.SPL, psp_firmware_header_v1_3.spl(h), array);
            legacy(file, parts, PspComponentKind.RL, psp_firmware_header_v1_3.rl(h), array);
        }
    }

    private static long headerSizeV1(int minor) {
        return switch (minor) {
            case 1 -> psp_firmware_header_v1_1.sizeof();
            case 2 -> psp_firmware_header_v1_2.sizeof();
            case 3 -> psp_firmware_header_v1_3.sizeof();
            default -> psp_firmware_header_v1_0.sizeof();
        };
    }

    /** v1.1 offsets are from the sys driver's start, v1.3 from the ucode array: both are the ucode array start (sys_drv starts there). */
    private static void legacy(FirmwareFile file, Map<PspComponentKind, PspComponent> parts, PspComponentKind kind,
                               MemorySegment desc, long array) {
        put(file, parts, kind, u32(psp_fw_legacy_bin_desc.fw_version(desc)),
                array + u32(psp_fw_legacy_bin_desc.offset_bytes(desc)), u32(psp_fw_legacy_bin_desc.size_bytes(desc)));
    }

    private static void readV2(FirmwareFile file, Map<PspComponentKind, PspComponent> parts) {
        MemorySegment h = file.bytes();
        long count = u32(psp_firmware_header_v2_0.psp_fw_bin_count(h));
        long max = amdgpu_ucode_h.UCODE_MAX_PSP_PACKAGING();
        if (count >= max) {
            throw file.corrupt("wrong type: " + count + " packed components, amdgpu's limit is " + max
                    + " (\"packed SOS count exceeds maximum limit\")");
        }
        long array = file.header().ucodeArrayOffsetBytes();
        long table = psp_firmware_header_v2_0.psp_fw_bin$offset();
        for (long i = 0; i < count; i++) {
            MemorySegment d = file.slice(table + i * psp_fw_bin_desc.sizeof(), psp_fw_bin_desc.sizeof(), "component descriptor " + i);
            PspComponentKind kind = PspComponentKind.byId(psp_fw_bin_desc.fw_type(d));
            if (kind != null) {
                put(file, parts, kind, u32(psp_fw_bin_desc.fw_version(d)),
                        array + u32(psp_fw_bin_desc.offset_bytes(d)), u32(psp_fw_bin_desc.size_bytes(d)));
            }
        }
    }

    private static void put(FirmwareFile file, Map<PspComponentKind, PspComponent> parts, PspComponentKind kind,
                            long version, long offset, long size) {
        if (size == 0) {
            return;
        }
        parts.put(kind, new PspComponent(kind, version, offset, file.slice(offset, size, kind + " component")));
    }

    private static long u32(int v) {
        return Integer.toUnsignedLong(v);
    }

    public FirmwareFile file() {
        return file;
    }

    public Optional<PspComponent> component(PspComponentKind kind) {
        return Optional.ofNullable(components.get(kind));
    }

    /** The components the file holds, in {@link PspComponentKind} order. */
    public Map<PspComponentKind, PspComponent> components() {
        return components;
    }

    /** The sOS version amdgpu prints ({@code psp->sos.fw_version}). */
    public long sosVersion() {
        return components.get(PspComponentKind.SOS).version();
    }
}
