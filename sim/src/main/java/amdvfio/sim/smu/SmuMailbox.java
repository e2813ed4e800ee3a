package amdvfio.sim.smu;

import amdvfio.sim.regs.RegisterFile;

/**
 * One MP1 mailbox: a message, an argument and a response register. The driver clears the
 * response, writes the argument, then the message ({@code __smu_cmn_send_msg}); the PMFW executes
 * on the message write and posts its response, and a return value in the argument register, once
 * it is done. "Done" is counted in response polls ({@link Smu#latencyPolls}), so a test decides
 * deterministically how long the SMU stays busy.
 *
 * <p>A message written while the previous one is still executing is rejected: its response is
 * CmdRejectedBusy (0xFC), the state amdgpu reports as "SMU: I'm not done with your previous
 * command" when it finds the response still 0 before sending (spec §5.3). A message the PMFW
 * answers with "reset" (mode1) resets the card right after the driver has read that answer.
 *
 * <p>Runs under the register file's lock (register hooks), like all of {@link Smu}.
 */
final class SmuMailbox {

    interface Executor {
        SmuReply execute(int message, int argument);
    }

    private final RegisterFile regs;
    private final int messageDword;
    private final int argumentDword;
    private final int responseDword;
    private final Smu smu;
    private final Executor executor;
    private boolean inFlight;
    private boolean rejectedBusy;
    private int pollsLeft;
    private SmuReply pending;

    SmuMailbox(RegisterFile regs, int[] mp1Bases, SmuDialect.Mailbox mailbox, Smu smu, Executor executor) {
        this.regs = regs;
        this.messageDword = mailbox.message().address(mp1Bases);
        this.argumentDword = mailbox.argument().address(mp1Bases);
        this.responseDword = mailbox.response().address(mp1Bases);
        this.smu = smu;
        this.executor = executor;
    }

    void install() {
        regs.hook(messageDword, (value, old) -> messageWritten(value));
        regs.hook(responseDword, new RegisterFile.Hook() {
            @Override
            public int read(int stored) {
                return poll(stored);
            }

            @Override
            public void written(int value, int old) {
                // the driver clears the response before a message; a message in flight still completes
            }
        });
    }

    private void messageWritten(int message) {
        if (!smu.answering()) {
            return; // no PMFW (cold, reset, wedged) or a hung one: the response stays as the driver left it
        }
        if (inFlight) {
            rejectedBusy = true;
            return;
        }
        pending = executor.execute(message, regs.raw(argumentDword));
        smu.countMessage();
        inFlight = true;
        rejectedBusy = false;
        pollsLeft = smu.latencyPolls();
    }

    private int poll(int stored) {
        if (!inFlight || !smu.answering() || pollsLeft-- > 0) {
            return stored;
        }
        inFlight = false;
        boolean busy = rejectedBusy;
        int status = busy ? smu.dialect().results().rejectedBusy() : pending.status();
        regs.setRaw(responseDword, status);
        regs.setRaw(argumentDword, pending.argument());
        if (!busy && pending.resetsCard()) {
            smu.resetCard(); // the answer is on its way to the driver; then the card drops off the bus
        }
        return status;
    }

    void powerLost() {
        inFlight = false;
        rejectedBusy = false;
        pending = null;
    }
}
