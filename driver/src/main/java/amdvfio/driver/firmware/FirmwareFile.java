package amdvfio.driver.firmware;

import amdvfio.bindings.amdgpu.common_firmware_header;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * One firmware file in memory, with its common header checked: the file is at least as long as
 * the header says ({@code size_bytes}, which equals the file length in every Debian file, spec
 * §3.3) and the ucode array lies inside it. Every slice is bounds-checked against the file, so a
 * header that points elsewhere is a {@link FirmwareCorruptException} naming the file, not a crash.
 */
public final class FirmwareFile {

    private final Path path;
    private final MemorySegment bytes;
    private final CommonHeader header;

    FirmwareFile(Path path, MemorySegment bytes) {
        this.path = path;
        this.bytes = bytes;
        if (bytes.byteSize() < common_firmware_header.sizeof()) {
            throw corrupt("truncated: " + bytes.byteSize() + " bytes, shorter than the "
                    + common_firmware_header.sizeof() + "-byte common header");
        }
        this.header = CommonHeader.read(bytes);
        if (header.sizeBytes() > bytes.byteSize()) {
            throw corrupt("truncated: the header says " + header.sizeBytes() + " bytes, the file has " + bytes.byteSize());
        }
        slice(header.ucodeArrayOffsetBytes(), header.ucodeSizeBytes(), "the ucode array");
    }

    public Path path() {
        return path;
    }

    /** The file name, as amdgpu requests it ("sdma_6_0_0.bin"). */
    public String name() {
        return path.getFileName().toString();
    }

    public CommonHeader header() {
        return header;
    }

    /** The whole file (read-only), for the generated header layouts. */
    public MemorySegment bytes() {
        return bytes;
    }

    /** {@code [offset, offset + size)} of the file; {@code what} names it in the error. */
    public MemorySegment slice(long offset, long size, String what) {
        if (offset < 0 || size < 0 || offset + size > bytes.byteSize()) {
            throw corrupt(what + " [0x" + Long.toHexString(offset) + ", +0x" + Long.toHexString(size)
                    + ") lies outside the " + bytes.byteSize() + "-byte file");
        }
        return bytes.asSlice(offset, size);
    }

    /** Refuses a file made for another IP or with a header layout this parser does not know. */
    public void requireType(String kind, int ipMajor, int... headerMajors) {
        if (header.ipMajor() != ipMajor) {
            throw corrupt("wrong type: expected " + kind + " firmware for IP version " + ipMajor
                    + ".x, the header says " + header.ipMajor() + "." + header.ipMinor());
        }
        for (int m : headerMajors) {
            if (header.headerMajor() == m) {
                return;
            }
        }
        throw corrupt("wrong type: " + kind + " header version " + header.headerVersion() + " is not one amdgpu reads here");
    }

    /** The header must be at least the size of {@code layoutBytes} (the generated struct's size). */
    public void requireHeaderBytes(String layout, long layoutBytes) {
        if (bytes.byteSize() < layoutBytes) {
            throw corrupt("truncated: shorter than its " + layout + " header (" + layoutBytes + " bytes)");
        }
    }

    FirmwareCorruptException corrupt(String problem) {
        return new FirmwareCorruptException(path, problem);
    }
}
