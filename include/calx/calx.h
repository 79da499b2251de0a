/*
 * calx/calx.h - what an application includes.
 */
#ifndef CALX_CALX_H
#define CALX_CALX_H

#define CALX_VERSION_MAJOR 0
#define CALX_VERSION_MINOR 1
#define CALX_VERSION_PATCH 0
#define CALX_VERSION "0.1.0"

#include "calx/errors.h"
#include "calx/alloc.h"
#include "calx/types.h"
#include "calx/nullable.h"
#include "calx/bytes.h"
#include "calx/list.h"
#include "calx/sys/descriptor.h"
#include "calx/engine.h"
#include "calx/registry.h"
#include "calx/session.h"
#include "calx/select.h"
#include "calx/row.h"
#include "calx/bulk.h"
#include "calx/text.h"
#include "calx/events.h"
#include "calx/criteria.h"
#include "calx/plugin.h"
#include "calx/retry.h"
#include "calx/related.h"
#include "calx/inherit.h"
#include "calx/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The runtime's version string, to compare with what a header was generated for. */
const char *calx_version(void);

#ifdef __cplusplus
}
#endif

#endif /* CALX_CALX_H */
