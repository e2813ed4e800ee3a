/**
 * Delivery of a device's interrupt, ERR and REQ eventfds to handlers on one thread per device.
 * Handlers hand off; teardown happens on the lifecycle's thread.
 */
package amdvfio.vfio.event;
