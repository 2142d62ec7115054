#ifndef LEADBOARD_HEAP_PREFAULT_H
#define LEADBOARD_HEAP_PREFAULT_H

#include <stddef.h>

/* Map the first BYTES of the heap now, in one system call, instead of one
 * page fault per page as they are first touched (heap_prefault.c). */
void heap_prefault(size_t bytes);

/* For a process that stays up (a board, a resident): keep the memory it
 * frees, large blocks included, for its next use instead of giving it back
 * and faulting it in again. */
void heap_keep(void);

#endif
