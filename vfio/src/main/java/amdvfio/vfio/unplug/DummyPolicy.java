package amdvfio.vfio.unplug;

/**
 * What a client mapping of lost device memory is replaced with. Both keep every read and write
 * completing (the uAPI's "undefined results, never SIGBUS"); they differ in memory and time.
 */
public enum DummyPolicy {
    /**
     * Zero-filled private anonymous memory ({@code MAP_PRIVATE|MAP_ANONYMOUS}). Reads of untouched
     * pages hit the kernel's shared zero page and cost nothing; <b>each page written costs one
     * page of RAM</b>, freed when the mapping is unmapped. A client that keeps writing a 1 GiB
     * mapping after loss can end up holding 1 GiB. Reroute is one {@code mmap} per arena: O(clients).
     */
    ZERO_FILL,
    /**
     * One page of a memfd, mapped shared at every page of every mapping: <b>constant memory (one
     * page per table)</b> whatever the clients do, like ttm's single dummy page
     * (ttm_bo_vm_dummy_page). But writes from different places alias — a value written through one
     * mapping shows up in all of them — and reroute costs one {@code mmap} per page of every
     * device mapping, O(pages), since one call cannot repeat a file page.
     */
    SHARED_PAGE
}
