package amdvfio.sim.smu;

import amdvfio.sim.SimProfile;
import amdvfio.amdgpu.HwIp;
import amdvfio.vfio.PciDevice;

/** Raw mailbox access for the model's own tests: what a driver does, one register at a time. */
public final class SmuProbe {

    private final PciDevice dev;
    private final int[] bases;
    private final SmuDialect dialect;

    public SmuProbe(PciDevice dev, SimProfile profile) {
        this.dev = dev;
        this.bases = profile.ip(HwIp.MP1).bases();
        var mp1 = profile.ip(HwIp.MP1);
        this.dialect = SmuDialect.forMp1(mp1.major(), mp1.minor(), mp1.revision());
    }

    public SmuDialect dialect() {
        return dialect;
    }

    public int read(amdvfio.amdgpu.Reg reg) {
        return dev.mmio(5).read32(reg.address(bases) * 4L);
    }

    public void write(amdvfio.amdgpu.Reg reg, int value) {
        dev.mmio(5).write32(reg.address(bases) * 4L, value);
    }

    /** amdgpu's order on the driver mailbox: response 0, argument, message ({@code __smu_cmn_send_msg}). */
    public void send(int message, int argument) {
        SmuDialect.Mailbox m = dialect.regular();
        write(m.response(), 0);
        write(m.argument(), argument);
        write(m.message(), message);
    }

    /** Polls the response up to {@code polls} times; 0 when nothing was posted. */
    public int response(int polls) {
        int r = 0;
        for (int i = 0; i < polls && r == 0; i++) {
            r = read(dialect.regular().response());
        }
        return r;
    }

    public int argument() {
        return read(dialect.regular().argument());
    }
}
