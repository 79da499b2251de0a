/*
 * Internal to the PostgreSQL dialect: libpq, loaded at run time.
 *
 * libcalx does not link libpq. The first PostgreSQL connection of the
 * process loads it (dlopen of libpq.so.5, pq_load.c) and takes the
 * functions below from it. A program that only uses SQLite never maps
 * libpq and the twenty-odd libraries it pulls in (TLS, Kerberos, LDAP):
 * about 6 MB of resident memory and 3 ms of start-up a process, measured
 * (bench/RESULTS.md, "libpq loaded on first use"). SQLAlchemy does the
 * same: a dialect's driver is imported when an engine first needs it.
 *
 * The dialect's files call libpq by its own names: after this header
 * those names are the loaded table's entries. Nothing calls them before
 * calx__pq_load succeeded, because everything in the dialect starts from
 * a connection, and calx__pg_connect loads first.
 */
#ifndef CALX_DIALECT_PQ_H
#define CALX_DIALECT_PQ_H

#include <libpq-fe.h>
#include "calx/sys/dialect.h"

/* Every libpq function the dialect calls. */
#define CALX__PQ_FUNCTIONS(X)                                                                                  \
	X(PQclear) X(PQcmdStatus) X(PQcmdTuples) X(PQconnectdb) X(PQconninfoFree) X(PQconninfoParse)           \
	X(PQconsumeInput) X(PQenterPipelineMode) X(PQerrorMessage) X(PQexec) X(PQexecParams) X(PQexecPrepared) \
	X(PQexitPipelineMode) X(PQfinish) X(PQfname) X(PQfreemem) X(PQftype) X(PQgetResult) X(PQgetisnull)     \
	X(PQgetlength) X(PQgetvalue) X(PQisBusy) X(PQnfields) X(PQntuples) X(PQpipelineSync) X(PQprepare)     \
	X(PQresultErrorField) X(PQresultStatus) X(PQsendQueryPrepared) X(PQsetNoticeProcessor) X(PQstatus)    \
	X(PQtransactionStatus) X(PQunescapeBytea)

#define CALX__PQ_ENTRY(name) __typeof__(name) *name;
struct calx__pq_api {
	CALX__PQ_FUNCTIONS(CALX__PQ_ENTRY)
};
#undef CALX__PQ_ENTRY

/* Filled by calx__pq_load; read only after it returned CALX_OK. */
extern struct calx__pq_api calx__pq;

/*
 * Load libpq once for the process (thread-safe): CALX_OK, or
 * CALX_ECONNECT with the loader's reason in err. A failure is kept: later
 * calls return it again without trying (dlopen would find the same).
 */
int calx__pq_load(calx_error *err);

/* The file calx__pq_load opens: tests point it elsewhere before the first load. */
extern const char *calx__pq_soname;

#ifndef CALX__PQ_LOADER
#define PQclear (calx__pq.PQclear)
#define PQcmdStatus (calx__pq.PQcmdStatus)
#define PQcmdTuples (calx__pq.PQcmdTuples)
#define PQconnectdb (calx__pq.PQconnectdb)
#define PQconninfoFree (calx__pq.PQconninfoFree)
#define PQconninfoParse (calx__pq.PQconninfoParse)
#define PQconsumeInput (calx__pq.PQconsumeInput)
#define PQenterPipelineMode (calx__pq.PQenterPipelineMode)
#define PQerrorMessage (calx__pq.PQerrorMessage)
#define PQexec (calx__pq.PQexec)
#define PQexecParams (calx__pq.PQexecParams)
#define PQexecPrepared (calx__pq.PQexecPrepared)
#define PQexitPipelineMode (calx__pq.PQexitPipelineMode)
#define PQfinish (calx__pq.PQfinish)
#define PQfname (calx__pq.PQfname)
#define PQfreemem (calx__pq.PQfreemem)
#define PQftype (calx__pq.PQftype)
#define PQgetResult (calx__pq.PQgetResult)
#define PQgetisnull (calx__pq.PQgetisnull)
#define PQgetlength (calx__pq.PQgetlength)
#define PQgetvalue (calx__pq.PQgetvalue)
#define PQisBusy (calx__pq.PQisBusy)
#define PQnfields (calx__pq.PQnfields)
#define PQntuples (calx__pq.PQntuples)
#define PQpipelineSync (calx__pq.PQpipelineSync)
#define PQprepare (calx__pq.PQprepare)
#define PQresultErrorField (calx__pq.PQresultErrorField)
#define PQresultStatus (calx__pq.PQresultStatus)
#define PQsendQueryPrepared (calx__pq.PQsendQueryPrepared)
#define PQsetNoticeProcessor (calx__pq.PQsetNoticeProcessor)
#define PQstatus (calx__pq.PQstatus)
#define PQtransactionStatus (calx__pq.PQtransactionStatus)
#define PQunescapeBytea (calx__pq.PQunescapeBytea)
#endif

#endif
