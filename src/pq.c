/* pq.c - loading libpq when a PostgreSQL database is first named (pq.h). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define PQ_LOADER
#include "pq.h"

#define PQ_DEFINE(name) __typeof__(name) *pq_##name;
PQ_FUNCTIONS(PQ_DEFINE)
#undef PQ_DEFINE

/* The soname of Debian's libpq5 (and every distribution's libpq since
 * PostgreSQL 8.2). A setgid binary's dlopen ignores LD_LIBRARY_PATH, as its
 * loader does for the libraries it is linked with. */
#define PQ_LIBRARY "libpq.so.5"

bool pq_load(char *error, size_t size)
{
	static bool loaded;
	void *library, *symbol;

	if (loaded)
		return true;
	library = dlopen(PQ_LIBRARY, RTLD_NOW | RTLD_LOCAL);
	if (!library) {
		snprintf(error, size, "PostgreSQL needs libpq (%s, the Debian package libpq5): %s",
			 PQ_LIBRARY, dlerror());
		return false;
	}
#define PQ_FIND(name)                                                                \
	if (!(symbol = dlsym(library, #name))) {                                     \
		snprintf(error, size, "%s has no %s; libpq is too old", PQ_LIBRARY, #name); \
		dlclose(library);                                                    \
		return false;                                                        \
	}                                                                            \
	memcpy(&pq_##name, &symbol, sizeof symbol);
	PQ_FUNCTIONS(PQ_FIND)
#undef PQ_FIND
	loaded = true;
	return true;
}
