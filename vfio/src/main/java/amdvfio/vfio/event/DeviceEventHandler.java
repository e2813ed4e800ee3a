package amdvfio.vfio.event;

/**
 * Receives a device's events on its {@link DeviceEventLoop} thread. Handlers must only hand
 * off — complete fences, wake a waiter, call {@code Lifecycle.trigger} — and return: they never
 * tear down, block or close the loop, because the loop is what delivers the next event (the
 * rule amdgpu's IH follows: the interrupt handler schedules work, it does not do it).
 */
public interface DeviceEventHandler {

    /** {@code count} interrupts arrived on {@code vector} since the last call (eventfd counts coalesce). */
    default void onIrq(int vector, long count) {
    }

    /** The kernel reported an AER error (VFIO ERR eventfd, vfio_pci_core_aer_err_detected). */
    default void onError() {
    }

    /**
     * The kernel asks for the device back (VFIO REQ eventfd, vfio_pci_core_request); it repeats
     * the request every 10 s until the device is released. {@code count} is the number of requests
     * since the last call.
     */
    default void onRequest(long count) {
    }
}
