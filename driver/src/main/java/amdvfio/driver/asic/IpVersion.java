package amdvfio.driver.asic;

/** An IP block version (major.minor.revision), as in the discovery table and amdgpu's block names. */
public record IpVersion(int major, int minor, int revision) {

    @Override
    public String toString() {
        return major + "." + minor + "." + revision;
    }
}
