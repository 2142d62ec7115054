/*
 * pq.h - libpq, loaded the first time a PostgreSQL database is named.
 *
 * libpq brings twenty more libraries with it (Kerberos, LDAP, GnuTLS,
 * OpenSSL ...) whose loading and relocation cost every process about 13
 * million instructions before main(): three quarters of a whole
 * `leadboard move`. The binary is therefore not linked with it; db_pg.c
 * calls it through pointers that pq_load() fills from libpq.so.5. Only
 * db_pg.c includes this header: after it, each PQ function named in
 * PQ_FUNCTIONS is the pointer of the same name.
 */
#ifndef LEADBOARD_PQ_H
#define LEADBOARD_PQ_H

#include <stdbool.h>
#include <stddef.h>

#include <libpq-fe.h>

#define PQ_FUNCTIONS(X)                                                                  \
	X(PQclear) X(PQcmdStatus) X(PQcmdTuples) X(PQconnectdbParams) X(PQconsumeInput) \
	X(PQdb) X(PQerrorMessage) X(PQexec) X(PQfinish) X(PQfreemem) X(PQftype)        \
	X(PQgetResult) X(PQgetisnull) X(PQgetlength) X(PQgetvalue) X(PQnfields)        \
	X(PQnotifies) X(PQprepare) X(PQreset) X(PQresultErrorField) X(PQresultStatus)  \
	X(PQsendQueryParams) X(PQsendQueryPrepared) X(PQsetNoticeProcessor)               \
	X(PQsetSingleRowMode)                                                            \
	X(PQsocket) X(PQstatus) X(PQtransactionStatus)

#define PQ_POINTER(name) extern __typeof__(name) *pq_##name;
PQ_FUNCTIONS(PQ_POINTER)
#undef PQ_POINTER

/* Load libpq once; false with a sentence in error when it cannot be. */
bool pq_load(char *error, size_t size);

#ifndef PQ_LOADER
#define PQclear pq_PQclear
#define PQcmdStatus pq_PQcmdStatus
#define PQcmdTuples pq_PQcmdTuples
#define PQconnectdbParams pq_PQconnectdbParams
#define PQconsumeInput pq_PQconsumeInput
#define PQdb pq_PQdb
#define PQerrorMessage pq_PQerrorMessage
#define PQexec pq_PQexec
#define PQfinish pq_PQfinish
#define PQfreemem pq_PQfreemem
#define PQftype pq_PQftype
#define PQgetResult pq_PQgetResult
#define PQgetisnull pq_PQgetisnull
#define PQgetlength pq_PQgetlength
#define PQgetvalue pq_PQgetvalue
#define PQnfields pq_PQnfields
#define PQnotifies pq_PQnotifies
#define PQprepare pq_PQprepare
#define PQreset pq_PQreset
#define PQresultErrorField pq_PQresultErrorField
#define PQresultStatus pq_PQresultStatus
#define PQsendQueryParams pq_PQsendQueryParams
#define PQsendQueryPrepared pq_PQsendQueryPrepared
#define PQsetNoticeProcessor pq_PQsetNoticeProcessor
#define PQsetSingleRowMode pq_PQsetSingleRowMode
#define PQsocket pq_PQsocket
#define PQstatus pq_PQstatus
#define PQtransactionStatus pq_PQtransactionStatus
#endif

#endif
