/*
 * C baselines for the syscall-bound paths amdvfio's Java code takes, so the JMH benchmarks can
 * report Java/C ratios measured side by side in one run. Compiled with gcc at benchmark time
 * (see amdvfio.bench.CBaselines) into a shared library the benchmarks call through FFM: the
 * loops below run entirely in C, so only one downcall (~10 ns) is added per measured operation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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

/*
 * The arena reroute: one zero-fill mmap(MAP_FIXED) over a whole reserved arena holding many
 * mappings, with exactly the flags of amdvfio's Remap.anonymous (MAP_NORESERVE: a 4 GiB arena
 * must not be charged against overcommit). The C floor of MappingTable.rerouteAll per client.
 * Returns 0, or -errno.
 */
int amdvfio_reroute_arena(void *base, size_t length) {
    void *p = mmap(base, length, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? -errno : 0;
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
 * The floor of step 5 with one VMA per client: n client windows of `length` bytes, each replaced
 * by the shadow `fd` at offset 0 with one shared MAP_FIXED, as MappingTable.rerouteAll does.
 * Returns 0, or -errno.
 */
int amdvfio_remap_windows(void *const *windows, size_t length, int n, int fd) {
    for (int i = 0; i < n; i++) {
        void *p = mmap(windows[i], length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
        if (p == MAP_FAILED) {
            return -errno;
        }
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

/*
 * Two-thread ping-pong over eventfds, the cross-thread form of the interrupt path (the IH
 * thread is woken by the MSI eventfd, the waiter by the fence's): a pong thread started by
 * amdvfio_pong_start waits in epoll_wait on `in`, drains it and signals `out`; amdvfio_ping
 * signals `in` and waits in epoll_wait for `out`, then drains it. A counter value of
 * AMDVFIO_PONG_STOP or more on `in` makes the pong thread exit (amdvfio_pong_stop).
 */
#define AMDVFIO_PONG_STOP (1ULL << 40)

struct amdvfio_pong {
    pthread_t thread;
    int in_efd, in_epfd, out_efd;
};

static void *amdvfio_pong_loop(void *arg) {
    struct amdvfio_pong *p = arg;
    struct epoll_event ev;
    uint64_t got, one = 1;
    for (;;) {
        if (epoll_wait(p->in_epfd, &ev, 1, -1) != 1) {
            if (errno == EINTR) continue;
            return NULL;
        }
        if (read(p->in_efd, &got, sizeof got) != sizeof got) {
            return NULL;
        }
        if (got >= AMDVFIO_PONG_STOP) {
            return NULL;
        }
        if (write(p->out_efd, &one, sizeof one) != sizeof one) {
            return NULL;
        }
    }
}

/* Starts the pong thread; returns an opaque handle, or NULL. */
void *amdvfio_pong_start(int in_efd, int in_epfd, int out_efd) {
    struct amdvfio_pong *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return NULL;
    }
    p->in_efd = in_efd;
    p->in_epfd = in_epfd;
    p->out_efd = out_efd;
    if (pthread_create(&p->thread, NULL, amdvfio_pong_loop, p) != 0) {
        free(p);
        return NULL;
    }
    return p;
}

/* Stops and joins the pong thread. Returns 0, or -errno. */
int amdvfio_pong_stop(void *handle) {
    struct amdvfio_pong *p = handle;
    uint64_t stop = AMDVFIO_PONG_STOP;
    if (write(p->in_efd, &stop, sizeof stop) != sizeof stop) {
        return -errno;
    }
    pthread_join(p->thread, NULL);
    free(p);
    return 0;
}

/* One cross-thread round trip: signal `out_efd` (the pong's in), wait on `back_epfd`, drain `back_efd`. */
int amdvfio_ping(int out_efd, int back_efd, int back_epfd) {
    uint64_t one = 1, got;
    struct epoll_event ev;
    if (write(out_efd, &one, sizeof one) != sizeof one) {
        return -errno;
    }
    while (epoll_wait(back_epfd, &ev, 1, -1) != 1) {
        if (errno != EINTR) {
            return -errno;
        }
    }
    if (read(back_efd, &got, sizeof got) != sizeof got) {
        return -errno;
    }
    return 0;
}

/*
 * The C twin of SubmitEncodeBenchmark.encodeAndCommitSmallJob: the same packets into the same ring
 * memory, the same wptr shadow and doorbell stores, under a mutex as the Java ring's lock.
 * Like the driver's PacketWriter.encode it walks the job's commands (kind, destination buffer,
 * offset, value: amdvfio.driver.Job's fields) and takes the destination address from the buffer
 * object, so both sides do the same work per submission:
 *   WRITE_LINEAR (op 2, sub-op 0): header, dst lo, dst hi, count 0, value      5 dwords
 *   FENCE: the profile's header, fence address lo (dword-aligned), hi, seq      4 dwords
 *   TRAP (op 6): header, int context 0                                          2 dwords
 *   NOP pad to the fetch alignment: header with count-1 in [29:16], then zeros
 * then a release store of the wptr (bytes) to the shadow, a full fence, and the 64-bit doorbell
 * store, which the benchmark's sink turns into the rptr writeback ("the engine consumed all").
 * Returns the new wptr in dwords, or 0 for a command kind this twin does not encode.
 */
#define AMDVFIO_CMD_WRITE 3 /* amdvfio.driver.Job.WRITE */

struct amdvfio_bo {
    uint64_t gpu_address;
};

struct amdvfio_cmd {
    int32_t kind;
    const struct amdvfio_bo *dst;
    uint64_t dst_offset;
    uint64_t value;
};

struct amdvfio_ring {
    uint32_t *ring;
    uint64_t mask;        /* ring dwords - 1 */
    uint64_t wptr;        /* dwords, monotonic */
    uint64_t *wptr_shadow;
    uint64_t *doorbell_sink;
    uint32_t fence_header;
    uint32_t align;       /* fetch alignment in dwords, a power of two */
    pthread_mutex_t lock;
};

static inline void put(struct amdvfio_ring *r, uint64_t at, uint32_t v) {
    r->ring[at & r->mask] = v;
}

void *amdvfio_ring_new(uint32_t *ring, uint64_t mask, uint64_t *wptr_shadow, uint64_t *doorbell_sink,
                       uint32_t fence_header, uint32_t align) {
    struct amdvfio_ring *r = calloc(1, sizeof *r);
    if (r == NULL) {
        return NULL;
    }
    r->ring = ring;
    r->mask = mask;
    r->wptr_shadow = wptr_shadow;
    r->doorbell_sink = doorbell_sink;
    r->fence_header = fence_header;
    r->align = align;
    pthread_mutex_init(&r->lock, NULL);
    return r;
}

void amdvfio_ring_free(void *ring) {
    struct amdvfio_ring *r = ring;
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static void pad(struct amdvfio_ring *r, uint64_t pos, uint32_t n) {
    put(r, pos, 0u | (((n - 1) & 0x3FFF) << 16));
    uint64_t start = (pos + 1) & r->mask;
    uint64_t first = n - 1 < r->mask + 1 - start ? n - 1 : r->mask + 1 - start;
    memset(r->ring + start, 0, first * 4);
    if (first < n - 1) {
        memset(r->ring, 0, (n - 1 - first) * 4);
    }
}

/* The wptr, its shadow (release), a full fence, and the 64-bit doorbell store. */
static void publish(struct amdvfio_ring *r, uint64_t p) {
    r->wptr = p;
    uint64_t bytes = p << 2;
    __atomic_store_n(r->wptr_shadow, bytes, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *(volatile uint64_t *) r->doorbell_sink = bytes;  /* the no-op engine: rptr = wptr */
}

static uint64_t encode_commit(struct amdvfio_ring *r, const struct amdvfio_cmd *cmds, int count, uint64_t fence_addr,
                              uint32_t seq) {
    pthread_mutex_lock(&r->lock);
    uint64_t p = r->wptr;
    for (int i = 0; i < count; i++) {
        const struct amdvfio_cmd *c = &cmds[i];
        if (c->kind != AMDVFIO_CMD_WRITE) {
            pthread_mutex_unlock(&r->lock);
            return 0;
        }
        uint64_t dst = c->dst->gpu_address + c->dst_offset;
        put(r, p++, 2u);                               /* WRITE_LINEAR */
        put(r, p++, (uint32_t) dst);
        put(r, p++, (uint32_t) (dst >> 32));
        put(r, p++, 0);
        put(r, p++, (uint32_t) c->value);
    }
    put(r, p++, r->fence_header);                      /* FENCE */
    put(r, p++, (uint32_t) fence_addr & ~3u);
    put(r, p++, (uint32_t) (fence_addr >> 32));
    put(r, p++, seq);
    put(r, p++, 6u);                                   /* TRAP */
    put(r, p++, 0);
    uint32_t n = (uint32_t) (-p & (r->align - 1));
    if (n > 0) {
        pad(r, p, n);
        p += n;
    }
    publish(r, p);
    pthread_mutex_unlock(&r->lock);
    return p;
}

/*
 * n submissions in a row, sequence numbers seq .. seq + n - 1: the benchmark calls this once per
 * batch, so the downcall (about 2 ns) is spread over n submissions as the Java row spreads its
 * own call over the same n. Returns the last wptr in dwords, or 0 as encode_commit does.
 */
uint64_t amdvfio_encode_commit_batch(void *ring, const struct amdvfio_cmd *cmds, int count, uint64_t fence_addr,
                                     uint32_t seq, int n) {
    uint64_t p = 0;
    for (int i = 0; i < n; i++) {
        p = encode_commit(ring, cmds, count, fence_addr, seq + (uint32_t) i);
        if (p == 0) {
            return 0;
        }
    }
    return p;
}

/*
 * The part of a submission that is not packets, n times: take the lock, move the wptr on by one
 * alignment unit without writing it, publish, unlock. The twin of
 * SubmitEncodeBenchmark.lockAndPublishOnly; with the encode+commit rows it splits a submission's
 * cost into this fixed part and the packet writing. Returns the last wptr in dwords.
 */
uint64_t amdvfio_lock_publish_batch(void *ring, int n) {
    struct amdvfio_ring *r = ring;
    uint64_t p = 0;
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&r->lock);
        p = r->wptr + r->align;
        publish(r, p);
        pthread_mutex_unlock(&r->lock);
    }
    return p;
}
