package amdvfio.sim.gmc;

/** Thrown inside the model when an access faults; caught by the engine, which halts. No stack trace. */
public final class GpuFaultException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient GpuFault fault;

    public GpuFaultException(GpuFault fault) {
        super(fault.toString(), null, false, false);
        this.fault = fault;
    }

    public GpuFault fault() {
        return fault;
    }
}
