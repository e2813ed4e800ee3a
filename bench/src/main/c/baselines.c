/*
 * C baselines for the syscall-bound paths amdvfio's Java code takes, so the JMH benchmarks can
 * report Java/C ratios measured side by side in one run. Compiled with gcc at benchmark time
 * (see amdvfio.bench.CBaselines) into a shared library the benchmarks call through FFM: the
 * loops below run entirely in C, so only one downcall (~10 ns) is added per measured operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The reroute loop: replace each of n mappings with zero-fill private anonymous memory at the
 * same address (mmap MAP_FIXED), exactly what amdvfio's MappingTable does per mapping.
 * Returns 0, or -errno of the first failure.
 */
int amdvfio_reroute(void *const *addrs, const size_t *lengths, int n) {
    for (int i = 0; i < n; i++) {
        void *p = mmap(addrs[i], lengths[i], PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED) {
            return -errno;
        }
    }
    return 0;
}

/* Maps fd at offset over each address again (the benchmark's untimed re-arm step). */
int amdvfio_remap(void *const *addrs, const size_t *lengths, int n, int fd) {
    size_t offset = 0;
    for (int i = 0; i < n; i++) {
        void *p = mmap(addrs[i], lengths[i], PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, (off_t) offset);
        if (p == MAP_FAILED) {
            return -errno;
        }
        offset += lengths[i];
    }
    return 0;
}

/*
 * One eventfd + epoll round trip on the calling thread: signal the eventfd, wait for it in
 * epoll_wait, drain it. The same three syscalls amdvfio's event loop makes per interrupt.
 * Returns 0, or -errno.
 */
int amdvfio_eventfd_epoll_round_trip(int efd, int epfd) {
    uint64_t one = 1, got;
    struct epoll_event ev;
    if (write(efd, &one, sizeof one) != sizeof one) {
        return -errno;
    }
    if (epoll_wait(epfd, &ev, 1, -1) != 1) {
        return -errno;
    }
    if (read(efd, &got, sizeof got) != sizeof got) {
        return -errno;
    }
    return 0;
}
