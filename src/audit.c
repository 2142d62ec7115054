/* audit.c - the events' hash schemes (nettle's SHA-256) and the checks a stored row must pass. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <nettle/sha2.h>

#include "leadboard/audit.h"
#include "leadboard/text.h"

const char audit_genesis[65] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char *const column_names[EVENT_COL_COUNT] = {
	[EVENT_COL_SEQ] = "seq", [EVENT_COL_AT] = "at", [EVENT_COL_ACTOR] = "actor",
	[EVENT_COL_REAL_USER] = "real_user", [EVENT_COL_LEAD_ID] = "lead_id",
	[EVENT_COL_KIND] = "kind", [EVENT_COL_FROM_STAGE] = "from_stage",
	[EVENT_COL_TO_STAGE] = "to_stage", [EVENT_COL_REASON] = "reason",
	[EVENT_COL_NOTE] = "note", [EVENT_COL_RULE] = "rule",
	[EVENT_COL_HASH_SCHEME] = "hash_scheme", [EVENT_COL_PREV_HASH] = "prev_hash",
	[EVENT_COL_HASH] = "hash",
};

const char *audit_column_name(enum store_event_column column)
{
	return (unsigned)column < EVENT_COL_COUNT ? column_names[column] : "?";
}

/* ---- laying a row out for SHA-256 -------------------------------------------- */

/*
 * The bytes go into one buffer that is hashed when full or at the end:
 * hashing field by field cost a quarter of a 100,000-row import. A value
 * larger than the buffer (only a tampered row has one) is hashed in place.
 */
struct hasher {
	struct sha256_ctx ctx;
	uint8_t buf[8192];
	size_t used;
};

static void flush(struct hasher *h)
{
	sha256_update(&h->ctx, h->used, h->buf);
	h->used = 0;
}

static void put_bytes(struct hasher *h, const void *bytes, size_t n)
{
	if (n > sizeof h->buf - h->used) {
		flush(h);
		if (n > sizeof h->buf) {
			sha256_update(&h->ctx, n, bytes);
			return;
		}
	}
	if (n)
		memcpy(h->buf + h->used, bytes, n);
	h->used += n;
}

static void finish(struct hasher *h, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t digest[SHA256_DIGEST_SIZE];

	flush(h);
	sha256_digest(&h->ctx, sizeof digest, digest);
	for (size_t i = 0; i < sizeof digest; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

/* ---- scheme 2: every stored byte, typed and length-prefixed ------------------ */

static void put_tagged(struct hasher *h, char tag, uint64_t number)
{
	uint8_t b[9];

	b[0] = (uint8_t)tag;
	for (int i = 0; i < 8; i++)
		b[1 + i] = (uint8_t)(number >> (56 - 8 * i));
	put_bytes(h, b, sizeof b);
}

static void put_value_v2(struct hasher *h, const struct store_value *v)
{
	uint64_t bits;

	switch (v->type) {
	case STORE_NULL:
		put_bytes(h, "N", 1);
		break;
	case STORE_INTEGER:
		put_tagged(h, 'I', (uint64_t)v->integer);
		break;
	case STORE_REAL:
		memcpy(&bits, &v->real, sizeof bits);
		put_tagged(h, 'R', bits);
		break;
	case STORE_TEXT:
	case STORE_BLOB:
		put_tagged(h, v->type == STORE_TEXT ? 'T' : 'B', (uint64_t)v->len);
		put_bytes(h, v->bytes, v->len);
		break;
	}
}

static void hash_v2(const struct store_value row[EVENT_COL_COUNT], char out[65])
{
	static const char domain[] = "leadboard-event-v2";
	struct hasher h = { .used = 0 };

	sha256_init(&h.ctx);
	put_tagged(&h, 'T', sizeof domain - 1);
	put_bytes(&h, domain, sizeof domain - 1);
	for (int c = 0; c < EVENT_COL_HASH; c++)
		put_value_v2(&h, &row[c]);
	finish(&h, out);
}

/* ---- scheme 1: fields as text, as leadboard hashed them before --------------- */

/* A column as the old reader saw it: text up to the first NUL, cut to the
 * size of the buffer it was read into; integers read as integers. */
static void put_field_v1(struct hasher *h, const char *value, size_t n)
{
	char digits[24];
	size_t d = 0, len = n;

	do
		digits[d++] = (char)('0' + len % 10);
	while (len /= 10);
	while (d) {
		char c = digits[--d];
		put_bytes(h, &c, 1);
	}
	put_bytes(h, ":", 1);
	put_bytes(h, value, n);
	put_bytes(h, ";", 1);
}

static void put_text_v1(struct hasher *h, const struct store_value *v, size_t buffer)
{
	size_t n = v->len < buffer - 1 ? v->len : buffer - 1;

	if (v->type != STORE_TEXT && v->type != STORE_BLOB)
		n = 0;
	n = strnlen(v->bytes, n);
	put_field_v1(h, v->bytes, n);
}

static void put_int_v1(struct hasher *h, const struct store_value *v)
{
	char text[24];
	int64_t n = v->type == STORE_INTEGER ? v->integer
		    : v->type == STORE_REAL  ? (int64_t)v->real
					     : 0;

	put_field_v1(h, text, (size_t)snprintf(text, sizeof text, "%" PRId64, n));
}

static void hash_v1(const struct store_value row[EVENT_COL_COUNT], char out[65])
{
	/* the buffers of struct lb_event the old reader copied into */
	static const size_t buffers[EVENT_COL_COUNT] = {
		[EVENT_COL_ACTOR] = LB_KEY_MAX + 1, [EVENT_COL_REAL_USER] = LB_KEY_MAX + 1,
		[EVENT_COL_LEAD_ID] = LB_ID_LEN + 1, [EVENT_COL_KIND] = 16,
		[EVENT_COL_FROM_STAGE] = LB_KEY_MAX + 1, [EVENT_COL_TO_STAGE] = LB_KEY_MAX + 1,
		[EVENT_COL_REASON] = LB_KEY_MAX + 1, [EVENT_COL_NOTE] = 4 * LB_TEXT_MAX + 1,
		[EVENT_COL_RULE] = 512, [EVENT_COL_PREV_HASH] = 65,
	};
	static const enum store_event_column texts[] = {
		EVENT_COL_ACTOR, EVENT_COL_REAL_USER, EVENT_COL_LEAD_ID, EVENT_COL_KIND,
		EVENT_COL_FROM_STAGE, EVENT_COL_TO_STAGE, EVENT_COL_REASON, EVENT_COL_NOTE,
		EVENT_COL_RULE, EVENT_COL_PREV_HASH,
	};
	struct hasher h = { .used = 0 };

	sha256_init(&h.ctx);
	put_field_v1(&h, "leadboard-event-v1", strlen("leadboard-event-v1"));
	put_int_v1(&h, &row[EVENT_COL_SEQ]);
	put_int_v1(&h, &row[EVENT_COL_AT]);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		put_text_v1(&h, &row[texts[i]], buffers[texts[i]]);
	finish(&h, out);
}

bool audit_hash_row(const struct store_value row[EVENT_COL_COUNT], char out[65])
{
	const struct store_value *scheme = &row[EVENT_COL_HASH_SCHEME];

	if (scheme->type != STORE_INTEGER)
		return false;
	if (scheme->integer == 1)
		hash_v1(row, out);
	else if (scheme->integer == 2)
		hash_v2(row, out);
	else
		return false;
	return true;
}

/* ---- the writer's row ------------------------------------------------------------ */

static struct store_value text_value(const char *s)
{
	return (struct store_value){ .type = STORE_TEXT, .bytes = s, .len = strlen(s) };
}

static struct store_value text_or_null(const char *s)
{
	return s[0] ? text_value(s) : (struct store_value){ .type = STORE_NULL, .bytes = "" };
}

static struct store_value integer_value(int64_t n)
{
	return (struct store_value){ .type = STORE_INTEGER, .integer = n, .bytes = "" };
}

void audit_event_row(const struct lb_event *e, struct store_value row[EVENT_COL_COUNT])
{
	row[EVENT_COL_SEQ] = integer_value(e->seq);
	row[EVENT_COL_AT] = integer_value(e->at);
	row[EVENT_COL_ACTOR] = text_value(e->actor);
	row[EVENT_COL_REAL_USER] = text_or_null(e->real_user);
	row[EVENT_COL_LEAD_ID] = text_or_null(e->lead_id);
	row[EVENT_COL_KIND] = text_value(e->kind);
	row[EVENT_COL_FROM_STAGE] = text_or_null(e->from_stage);
	row[EVENT_COL_TO_STAGE] = text_or_null(e->to_stage);
	row[EVENT_COL_REASON] = text_or_null(e->reason);
	row[EVENT_COL_NOTE] = text_or_null(e->note);
	row[EVENT_COL_RULE] = text_or_null(e->rule);
	row[EVENT_COL_HASH_SCHEME] = integer_value(AUDIT_SCHEME);
	row[EVENT_COL_PREV_HASH] = text_value(e->prev_hash);
	/* hash is not hashed, and may not be filled in yet */
	row[EVENT_COL_HASH] = (struct store_value){ .type = STORE_TEXT, .bytes = e->hash,
						    .len = strnlen(e->hash, sizeof e->hash - 1) };
}

void audit_hash(const struct lb_event *event, char out[65])
{
	struct store_value row[EVENT_COL_COUNT];

	audit_event_row(event, row);
	hash_v2(row, out);
}

/* ---- what a stored row must look like ------------------------------------------- */

enum column_shape {
	SHAPE_INTEGER,   /* an integer */
	SHAPE_TEXT,      /* text, never "" */
	SHAPE_OPTIONAL,  /* NULL, or text that is not "" */
	SHAPE_HASH,      /* 64 lower-case hex digits */
};

static const struct {
	enum column_shape shape;
	size_t max;    /* bytes */
} shapes[EVENT_COL_COUNT] = {
	[EVENT_COL_SEQ] = { SHAPE_INTEGER, 0 },
	[EVENT_COL_AT] = { SHAPE_INTEGER, 0 },
	[EVENT_COL_ACTOR] = { SHAPE_TEXT, LB_KEY_MAX },
	[EVENT_COL_REAL_USER] = { SHAPE_OPTIONAL, LB_KEY_MAX },
	[EVENT_COL_LEAD_ID] = { SHAPE_OPTIONAL, LB_ID_LEN },
	[EVENT_COL_KIND] = { SHAPE_TEXT, 15 },
	[EVENT_COL_FROM_STAGE] = { SHAPE_OPTIONAL, LB_KEY_MAX },
	[EVENT_COL_TO_STAGE] = { SHAPE_OPTIONAL, LB_KEY_MAX },
	[EVENT_COL_REASON] = { SHAPE_OPTIONAL, LB_KEY_MAX },
	[EVENT_COL_NOTE] = { SHAPE_OPTIONAL, AUDIT_NOTE_MAX },
	[EVENT_COL_RULE] = { SHAPE_OPTIONAL, AUDIT_RULE_MAX },
	[EVENT_COL_HASH_SCHEME] = { SHAPE_INTEGER, 0 },
	[EVENT_COL_PREV_HASH] = { SHAPE_HASH, 64 },
	[EVENT_COL_HASH] = { SHAPE_HASH, 64 },
};

static const char *type_name(enum store_type type)
{
	switch (type) {
	case STORE_NULL: return "NULL";
	case STORE_INTEGER: return "an integer";
	case STORE_REAL: return "a real";
	case STORE_TEXT: return "text";
	case STORE_BLOB: return "a blob";
	}
	return "?";
}

bool audit_is_lead_id(const char *bytes, size_t len)
{
	uint64_t hi, lo;

	return lead_id_bits(bytes, len, &hi, &lo);
}

static bool is_hash(const char *bytes, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((bytes[i] >= '0' && bytes[i] <= '9') || (bytes[i] >= 'a' && bytes[i] <= 'f')))
			return false;
	return true;
}

/* The fault of one column, or NULL; why gets the words. */
static const char *column_fault(enum store_event_column c, const struct store_value *v,
				char *why, size_t size)
{
	enum column_shape shape = shapes[c].shape;
	unsigned wide = 0;

	if (shape == SHAPE_INTEGER) {
		if (v->type == STORE_INTEGER)
			return NULL;
		if (v->type == STORE_REAL)
			snprintf(why, size, "is stored as a real (%.17g), not an integer", v->real);
		else
			snprintf(why, size, "is stored as %s, not an integer", type_name(v->type));
		return why;
	}
	if (v->type == STORE_NULL) {
		if (shape == SHAPE_OPTIONAL)
			return NULL;
		snprintf(why, size, "is NULL");
		return why;
	}
	if (v->type != STORE_TEXT) {
		snprintf(why, size, "is stored as %s, not text", type_name(v->type));
		return why;
	}
	/* one pass for the common case: ASCII without a NUL */
	for (size_t i = 0; i < v->len; i++) {
		unsigned char b = (unsigned char)v->bytes[i];
		if (b == 0) {
			snprintf(why, size, "holds a NUL byte at byte %zu (text hidden after it)",
				 i + 1);
			return why;
		}
		wide |= b & 0x80;
	}
	if (v->len == 0) {
		snprintf(why, size, shape == SHAPE_OPTIONAL
					    ? "is an empty string (leadboard stores none as NULL)"
					    : "is empty");
		return why;
	}
	if (v->len > shapes[c].max) {
		snprintf(why, size, "is %zu bytes, over its limit of %zu", v->len, shapes[c].max);
		return why;
	}
	if (wide && !utf8_valid(v->bytes, v->len)) {
		snprintf(why, size, "is not valid UTF-8");
		return why;
	}
	if (shape == SHAPE_HASH && !is_hash(v->bytes, v->len)) {
		snprintf(why, size, "is not 64 lower-case hex digits");
		return why;
	}
	if (c == EVENT_COL_LEAD_ID && !audit_is_lead_id(v->bytes, v->len)) {
		snprintf(why, size, "is not a lower-case UUID");
		return why;
	}
	return NULL;
}

int audit_check_row(const struct store_value row[EVENT_COL_COUNT],
		    void (*fn)(const char *column, const char *problem, void *ctx), void *ctx)
{
	char why[160];
	int faults = 0;

	for (int c = 0; c < EVENT_COL_COUNT; c++) {
		if (column_fault((enum store_event_column)c, &row[c], why, sizeof why)) {
			fn(column_names[c], why, ctx);
			faults++;
		}
	}
	return faults;
}
