/* csv_reader.c - libcsv in strict mode, fed one line at a time for line numbers. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "leadboard/csv_reader.h"
#include "leadboard/privilege.h"
#include "leadboard/text.h"

#define PARSER_OPTIONS (CSV_STRICT | CSV_STRICT_FINI)
#define PARSER_BLOCK 65536

struct reader {
	struct csv_parser parser;
	const struct csv_callbacks *cb;
	long line;            /* the physical line being fed */
	long pending_start;   /* first non-blank line fed while no field was complete */
	long record_start;    /* line of the open record; 0 when none is open */
	/* the open record: fields stored one after another in text */
	char *text;
	size_t text_used, text_size;
	size_t *offsets, *lengths;
	size_t count, capacity;    /* fields in the record; room in offsets and lengths */
	char **fields;             /* handed to the callback */
	size_t fields_capacity;
	char why[256];        /* set when the open record is bad */
	bool stop;
	bool out_of_memory;
};

/* Nothing is a space: fields keep their spaces, as RFC 4180 says. */
static int never_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void parser_start(struct reader *r)
{
	csv_init(&r->parser, PARSER_OPTIONS);
	csv_set_space_func(&r->parser, never_space);
	csv_set_blk_size(&r->parser, PARSER_BLOCK);
}

static void forget_record(struct reader *r)
{
	r->record_start = 0;
	r->pending_start = 0;
	r->text_used = 0;
	r->count = 0;
	r->why[0] = '\0';
}

static bool grow(void **buffer, size_t *size, size_t need, size_t unit)
{
	size_t n = *size ? *size : 16;
	void *p;

	while (n < need)
		n *= 2;
	if (n == *size)
		return true;
	if (n > SIZE_MAX / unit || !(p = realloc(*buffer, n * unit)))
		return false;
	*buffer = p;
	*size = n;
	return true;
}

static void mark_bad(struct reader *r, const char *why)
{
	if (!r->why[0])
		snprintf(r->why, sizeof r->why, "%s", why);
}

static void on_field(void *data, size_t len, void *ctx)
{
	struct reader *r = ctx;
	const char *field = data ? data : "";
	char why[96];
	size_t room;

	if (r->stop)
		return;
	if (!r->record_start)
		r->record_start = r->pending_start ? r->pending_start : r->line;
	if (r->count == CSV_MAX_FIELDS) {
		snprintf(why, sizeof why, "more than %d fields", CSV_MAX_FIELDS);
		mark_bad(r, why);
		return;
	}
	if (memchr(field, '\0', len)) {
		snprintf(why, sizeof why, "field %zu contains a NUL byte", r->count + 1);
		mark_bad(r, why);
	} else if (!utf8_valid(field, len)) {
		snprintf(why, sizeof why, "field %zu is not valid UTF-8", r->count + 1);
		mark_bad(r, why);
	}
	room = r->capacity;
	if (!grow((void **)&r->text, &r->text_size, r->text_used + len + 1, 1) ||
	    !grow((void **)&r->offsets, &room, r->count + 1, sizeof *r->offsets) ||
	    !grow((void **)&r->lengths, &r->capacity, r->count + 1, sizeof *r->lengths)) {
		r->out_of_memory = r->stop = true;
		return;
	}
	memcpy(r->text + r->text_used, field, len);
	r->text[r->text_used + len] = '\0';
	r->offsets[r->count] = r->text_used;
	r->lengths[r->count] = len;
	r->text_used += len + 1;
	r->count++;
}

static void on_row(int c, void *ctx)
{
	struct reader *r = ctx;
	struct csv_record record;

	(void)c;
	if (r->stop)
		return;
	if (r->why[0]) {
		if (r->cb->bad && r->cb->bad(r->record_start, r->why, r->cb->ctx))
			r->stop = true;
		forget_record(r);
		return;
	}
	if (!grow((void **)&r->fields, &r->fields_capacity, r->count, sizeof *r->fields)) {
		r->out_of_memory = r->stop = true;
		return;
	}
	for (size_t i = 0; i < r->count; i++)
		r->fields[i] = r->text + r->offsets[i];
	record.line = r->record_start;
	record.count = r->count;
	record.fields = r->fields;
	record.lengths = r->lengths;
	if (r->cb->record && r->cb->record(&record, r->cb->ctx))
		r->stop = true;
	forget_record(r);
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != '\r' && s[i] != '\n')
			return false;
	return true;
}

/* libcsv stopped at chunk[at]: say why, then start afresh on the next line. */
static void parse_error(struct reader *r, const char *chunk, size_t at)
{
	long start = r->record_start ? r->record_start
				     : r->pending_start ? r->pending_start : r->line;
	char why[256], where[64] = "";

	if (start != r->line)
		snprintf(where, sizeof where, " on line %ld", r->line);
	if (chunk[at] == '"')
		snprintf(why, sizeof why, "a quote inside an unquoted field (byte %zu%s); quote the "
			 "whole field and double the quote", at + 1, where);
	else
		snprintf(why, sizeof why, "text after a closing quote (byte %zu%s)", at + 1, where);
	if (r->cb->bad && r->cb->bad(start, why, r->cb->ctx))
		r->stop = true;
	csv_free(&r->parser);
	parser_start(r);
	forget_record(r);
}

enum lb_status csv_read_buffer(const char *data, size_t size, const struct csv_callbacks *cb)
{
	struct reader r;
	size_t pos = 0;

	memset(&r, 0, sizeof r);
	r.cb = cb;
	parser_start(&r);
	if (size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < size && !r.stop) {
		const char *chunk = data + pos;
		const char *nl = memchr(chunk, '\n', size - pos);
		size_t len = nl ? (size_t)(nl - chunk) + 1 : size - pos;
		size_t done;

		r.line++;
		if (!r.record_start && !r.pending_start && !blank(chunk, len))
			r.pending_start = r.line;
		done = csv_parse(&r.parser, chunk, len, on_field, on_row, &r);
		if (done < len && !r.stop) {
			if (csv_error(&r.parser) != CSV_EPARSE) {
				r.out_of_memory = true;
				break;
			}
			parse_error(&r, chunk, done);
		}
		pos += len;
	}
	if (!r.stop && !r.out_of_memory && csv_fini(&r.parser, on_field, on_row, &r) != 0) {
		long start = r.record_start ? r.record_start : r.pending_start;
		if (cb->bad)
			cb->bad(start ? start : r.line,
				"a quoted field never closes (unbalanced quote)", cb->ctx);
	}
	csv_free(&r.parser);
	free(r.text);
	free(r.offsets);
	free(r.lengths);
	free(r.fields);
	if (r.out_of_memory)
		return lb_fail(LB_SOFTWARE, "out of memory reading CSV");
	return LB_OK;
}

static enum lb_status read_all(int fd, const char *path, char **data, size_t *size)
{
	size_t used = 0, cap = 65536;
	char *buf = malloc(cap + 1), *p;
	ssize_t n;

	if (!buf)
		return lb_fail(LB_SOFTWARE, "out of memory reading %s", path);
	for (;;) {
		if (used == cap) {
			/* /dev/zero, a pipe that never ends: stop at the limit */
			if (cap >= CSV_FILE_MAX) {
				free(buf);
				return lb_fail(LB_DATA, "%s is larger than %d MiB, the most one import "
							"reads; split it", path, CSV_FILE_MAX >> 20);
			}
			size_t grown = cap * 2 > CSV_FILE_MAX ? CSV_FILE_MAX : cap * 2;
			if (!(p = realloc(buf, grown + 1))) {
				free(buf);
				return lb_fail(LB_SOFTWARE, "out of memory reading %s", path);
			}
			buf = p;
			cap = grown;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = errno;
			free(buf);
			return lb_fail(LB_NOINPUT, "cannot read %s: %s", path, strerror(err));
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	*data = buf;
	*size = used;
	return LB_OK;
}

enum lb_status csv_load_file(const char *path, char **data, size_t *size)
{
	struct stat st;
	enum lb_status status;
	int fd;

	if (strcmp(path, "-") == 0)
		return read_all(STDIN_FILENO, "standard input", data, size);
	/* as the user alone: the leadboard group reads no file for them */
	if ((status = privilege_open_user_input(path, "a CSV file", &fd, &st)))
		return status;
	if (S_ISREG(st.st_mode) && st.st_size > CSV_FILE_MAX) {
		close(fd);
		return lb_fail(LB_DATA, "%s is larger than %d MiB, the most one import reads; "
					"split it", path, CSV_FILE_MAX >> 20);
	}
	status = read_all(fd, path, data, size);
	close(fd);
	return status;
}
