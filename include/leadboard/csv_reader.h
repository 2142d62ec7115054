/*
 * csv_reader.h - a strict RFC 4180 reader on top of libcsv.
 *
 * The reader turns a buffer into records, each with the line it starts on.
 * It accepts what spreadsheets and CRMs write: quoted fields with commas,
 * quotes ("") and line breaks, CRLF or LF line ends, a UTF-8 byte order mark.
 * It refuses, row by row, what it cannot read without guessing: a stray
 * quote, text after a closing quote, a quote that never closes, invalid
 * UTF-8, a NUL byte, more than CSV_MAX_FIELDS fields. Spaces belong to the
 * field (nothing is trimmed). Blank lines between records are skipped.
 *
 * After a bad row the reader goes on with the next line, so that one pass
 * lists every bad row; the caller decides what a bad row means (the import
 * refuses the whole file).
 */
#ifndef LEADBOARD_CSV_READER_H
#define LEADBOARD_CSV_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "leadboard/status.h"

#define CSV_MAX_FIELDS 1024

/* One record. fields[i] is NUL-terminated (and may contain line breaks);
 * lengths[i] is its length. Valid only during the callback. */
struct csv_record {
	long line;              /* 1-based line the record starts on */
	size_t count;
	char **fields;
	const size_t *lengths;
};

struct csv_callbacks {
	/* A well-formed record; non-zero stops the reader. */
	int (*record)(const struct csv_record *record, void *ctx);
	/* A record that cannot be read, with a sentence saying why; non-zero
	 * stops the reader. */
	int (*bad)(long line, const char *why, void *ctx);
	void *ctx;
};

/* Read every record of data (size bytes). LB_OK when the reader got to the
 * end or a callback stopped it (bad rows are the callbacks' business);
 * LB_SOFTWARE only when memory ran out. */
enum lb_status csv_read_buffer(const char *data, size_t size, const struct csv_callbacks *cb);

/* The most csv_load_file() reads: 256 MiB (some 2.5 million rows). */
#define CSV_FILE_MAX (256 << 20)

/* Read a whole file ("-": standard input) into memory (NUL-terminated;
 * *size without the NUL), opened with the real uid and gid only
 * (privilege_open_user_file()). LB_NOPERM when the user may not read it,
 * LB_NOINPUT when it cannot be opened or read, LB_DATA past CSV_FILE_MAX
 * (an endless input such as /dev/zero). Free *data with free(). */
enum lb_status csv_load_file(const char *path, char **data, size_t *size);

#endif
