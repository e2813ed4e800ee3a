package amdvfio.driver.firmware;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where amdgpu's firmware files are read from: an explicit directory (the CLI's
 * {@code --firmware-dir}), else {@value #ENV}, else {@value #DEFAULT}, the system's
 * linux-firmware (Debian {@code firmware-amd-graphics} installs there; plain {@code .bin}, no
 * {@code .zst}, spec §3.2).
 */
public final class FirmwareDirectory {

    public static final String ENV = "AMDVFIO_FIRMWARE_DIR";
    public static final String DEFAULT = "/lib/firmware/amdgpu";

    /** Larger than any amdgpu file (the biggest, gc_11_0_0_mec.bin, is 397 KiB); a bound against reading junk. */
    private static final long MAX_FILE_BYTES = 16L << 20;

    private final Path dir;

    private FirmwareDirectory(Path dir) {
        this.dir = dir;
    }

    public static FirmwareDirectory at(Path dir) {
        return new FirmwareDirectory(dir);
    }

    /** The option if given, else the environment variable, else the system directory. */
    public static FirmwareDirectory resolve(Optional<Path> option) {
        if (option.isPresent()) {
            return at(option.get());
        }
        String env = System.getenv(ENV);
        return at(Path.of(env != null && !env.isBlank() ? env : DEFAULT));
    }

    public Path path() {
        return dir;
    }

    /** True if this directory holds {@code name}: lets callers (and tests) choose a warm card instead. */
    public boolean has(String name) {
        return Files.isRegularFile(dir.resolve(name));
    }

    /**
     * Reads one file into 8-byte aligned native memory (the generated layouts need aligned
     * access) and checks its common header.
     */
    public FirmwareFile read(String name) {
        Path file = dir.resolve(name);
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new FirmwareCorruptException(file, "is " + size + " bytes, larger than any amdgpu firmware");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new FirmwareMissingException(file, "not found");
        } catch (IOException e) {
            throw new FirmwareMissingException(file, "cannot be read (" + e.getMessage() + ")");
        }
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, bytes.length), 8);
        MemorySegment.copy(bytes, 0, seg, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return new FirmwareFile(file, seg.asSlice(0, bytes.length).asReadOnly());
    }
}
