/*
 * heap_prefault.c - fill the heap a command will use in one call.
 *
 * Every command is a process of its own, and each first touch of a heap page
 * is a page fault. On a virtual machine a fault is a trip through the
 * hypervisor: 12-16 us each on the 2-core machine BENCHMARKS.md describes,
 * against well under one on bare metal. A command touches 100-150 heap pages
 * (SQLite's schema, its statements, its page cache), about 2 ms of a 9 ms
 * `leadboard list`. Growing the heap once by what a command uses and asking
 * the kernel to map it in one call replaces those faults with one system call.
 *
 * A process that stays up pays the same faults again and again if freed
 * memory goes back to the kernel: a board drops SQLite's page cache after
 * every commit made elsewhere and reads it again, and with the C library's
 * defaults the heap shrank and large blocks were unmapped each time (page
 * faults were a tenth of 200 boards' CPU in the host figure). heap_keep()
 * keeps it.
 */
#include "heap_prefault.h"

#include <malloc.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* Linux 5.14; defined here for older C libraries' headers */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void heap_prefault(size_t bytes)
{
	long page = sysconf(_SC_PAGESIZE);
	void *probe;
	char *end;
	uintptr_t from;

	if (page <= 0 || bytes > INT32_MAX)
		return;
	/* the heap's first growth (and each later one) reserves this much */
	mallopt(M_TOP_PAD, (int)bytes);
	probe = malloc(1);
	end = sbrk(0);
	if (probe && end != (char *)-1) {
		from = ((uintptr_t)probe + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
		/* Only the heap just grown: under a sanitizer or valgrind malloc
		 * is not the brk heap, and the range would be somebody else's.
		 * An older kernel refuses the advice: the faults come as before. */
		if ((uintptr_t)end > from && (uintptr_t)end - from <= 2 * bytes)
			(void)madvise((void *)from, (uintptr_t)end - from, MADV_POPULATE_WRITE);
	}
	free(probe);
}

void heap_keep(void)
{
	/* no trimming of the heap's top, and blocks up to 4 MiB from the heap
	 * (a fixed threshold: heap_prefault's M_TOP_PAD already ended the C
	 * library's own adjustment of it) */
	mallopt(M_TRIM_THRESHOLD, INT32_MAX);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
}
