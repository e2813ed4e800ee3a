package amdvfio.driver.ip.smu;

import amdvfio.amdgpu.Reg;
import amdvfio.driver.DeviceLostException;
import amdvfio.amdgpu.HwIp;
import amdvfio.driver.ip.DeviceContext;

import java.time.Duration;

/**
 * The SMU's driver mailbox, in the shape of amdgpu's {@code smu_cmn_send_smc_msg_with_param}:
 * wait until the previous message has its answer, clear the response, write the argument, write
 * the message, poll the response, read the argument back. A failure is a {@link SmuException}
 * with the status the PMFW posted, or {@link SmuStatus#NO_RESPONSE} after the timeout; a device
 * that reads all ones (gone, or removed meanwhile) is a {@link DeviceLostException}. Never hangs.
 *
 * <p>Threading: one message at a time (amdgpu's {@code message_lock}).
 */
public final class SmuMailbox {

    private final DeviceContext ctx;
    private final SmuMessages msgs;
    private final long timeoutNanos;
    /** amdgpu's SMU_FW_INIT: the first message ignores whatever the response register held. */
    private boolean firstMessage = true;

    public SmuMailbox(DeviceContext ctx, SmuMessages msgs, Duration timeout) {
        this.ctx = ctx;
        this.msgs = msgs;
        this.timeoutNanos = timeout.toNanos();
    }

    public SmuMessages messages() {
        return msgs;
    }

    /**
     * Sends {@code message} with {@code argument} and returns what the PMFW left in the argument
     * register. {@code name} is the PPSMC name, for messages.
     */
    public synchronized int send(String name, int message, int argument) {
        if (message < 0) {
            throw new SmuException(String.format("%s: %s has no %s message", ctx.device().address(), msgs.block(), name),
                    SmuStatus.UNKNOWN_COMMAND, 0);
        }
        if (!firstMessage) {
            int previous = awaitResponse(name);
            if (previous == 0) {
                throw failure(name, message, argument, 0, "the SMU is not done with its previous message");
            }
        }
        firstMessage = false;
        write(msgs.responseReg(), 0);
        write(msgs.argumentReg(), argument);
        write(msgs.messageReg(), message);
        int response = awaitResponse(name);
        if (msgs.status(response) != SmuStatus.OK) {
            throw failure(name, message, argument, response, msgs.status(response).says());
        }
        return read(msgs.argumentReg());
    }

    /** After a reset the response register is 0 again: the next message must not wait for it. */
    public synchronized void rearm() {
        firstMessage = true;
    }

    private int awaitResponse(String name) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int r = read(msgs.responseReg());
            if (r == 0xFFFFFFFF && ctx.surpriseRemoved()) {
                throw new DeviceLostException(ctx.device().address() + ": the device was lost while the SMU executed "
                        + name + " (its registers read all ones)");
            }
            if (r != 0) {
                return r;
            }
            if (ctx.lost()) {
                throw new DeviceLostException(ctx.device().address() + ": the device was removed while the SMU executed "
                        + name);
            }
            if (System.nanoTime() - deadline > 0) {
                return 0;
            }
            Thread.onSpinWait();
        }
    }

    private int read(Reg reg) {
        return ctx.regs().read(ctx.bases().base(HwIp.MP1, reg.segment()) + reg.offset());
    }

    private void write(Reg reg, int value) {
        ctx.regs().write(ctx.bases().base(HwIp.MP1, reg.segment()) + reg.offset(), value);
    }

    private SmuException failure(String name, int message, int argument, int response, String what) {
        SmuStatus status = msgs.status(response);
        return new SmuException(String.format("%s: SMU message %s (0x%x, argument 0x%x) %s (C2PMSG_90 = 0x%x%s)",
                ctx.device().address(), name, message, argument, what, response,
                status == SmuStatus.NO_RESPONSE ? " after " + timeoutNanos / 1_000_000 + " ms" : ""), status, response);
    }
}
