/* What two threads of work can gain on this machine, apart from delcredere (benches/machine/run.sh).
 *
 *   probe compute   1.5e9 steps of a 64-bit linear congruential generator: registers only
 *   probe memory    10 rounds over 400 MB: memset, then a read of every 64-byte line
 *   probe faults    5 rounds: map 400 MB, write it (each 4 KiB page faulted in and zeroed by
 *                   the kernel; huge pages refused with madvise), unmap it
 *
 * Prints the seconds the work took. run.sh runs each alone, then two at once (two processes):
 * equal times mean two threads of that kind of work go twice as fast as one. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    const size_t n = 400UL << 20;
    const char *mode = argc > 1 ? argv[1] : "compute";
    unsigned long sink = 0;
    double start = now();
    if (strcmp(mode, "compute") == 0) {
        unsigned long x = 1;
        for (unsigned long i = 0; i < 1500000000UL; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
        sink = x;
    } else if (strcmp(mode, "memory") == 0) {
        char *p = malloc(n);
        if (!p) return 1;
        memset(p, 1, n);
        start = now();
        for (int r = 0; r < 10; r++) {
            memset(p, r, n);
            for (size_t i = 0; i < n; i += 64) sink += (unsigned char)p[i];
        }
        free(p);
    } else if (strcmp(mode, "faults") == 0) {
        for (int r = 0; r < 5; r++) {
            char *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) return 1;
            madvise(p, n, MADV_NOHUGEPAGE);
            memset(p, 1, n);
            sink += (unsigned char)p[n - 1];
            munmap(p, n);
        }
    } else {
        fprintf(stderr, "usage: probe compute|memory|faults\n");
        return 2;
    }
    printf("%.3f\n", now() - start);
    return sink == 42 ? 3 : 0; /* keeps the work from being optimised away */
}
