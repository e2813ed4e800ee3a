package amdvfio.driver.ip.ih;

/**
 * Receives decoded interrupt vectors ({@code amdgpu_irq_dispatch}). Called on the interrupt
 * thread; must not block.
 */
@FunctionalInterface
public interface IvHandler {

    /**
     * @param clientId IV dw0 [7:0]
     * @param sourceId IV dw0 [15:8]
     * @param ringId   IV dw0 [23:16]
     * @param srcData0 IV dw4 (a TRAP's int_context)
     */
    void handle(int clientId, int sourceId, int ringId, int srcData0);
}
