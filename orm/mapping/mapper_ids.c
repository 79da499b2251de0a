/*
 * The process's mapper numbers (mapper_ids.h). First fit over a map of
 * the numbers in use: a registry opens rarely, and a scan of 65,536 bytes
 * is a few microseconds beside the rest of its opening.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include "mapping/mapper_ids.h"
#include "mapping/registry.h"

const struct calx__mapper *calx__mapper_by_id[CALX__MAPPER_IDS];

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static bool used[CALX__MAPPER_IDS];

int calx__mapper_ids_take(calx__mapper *v, unsigned n, uint16_t *base, calx_error *err)
{
	*base = 0;
	if (n == 0)
		return CALX_OK;
	pthread_mutex_lock(&lock);
	unsigned run = 0, at = 0;
	for (unsigned i = 1; i < CALX__MAPPER_IDS && run < n; i++) {
		if (used[i] || i == CALX__MAPPER_ID_GAP) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			at = i;
	}
	if (run < n) {
		pthread_mutex_unlock(&lock);
		return calx_error_set(err, CALX_ENOMEM,
		                      "out of mapper numbers: the process's open registries map %u structs at most "
		                      "(%u more asked for; free registries no longer used)",
		                      CALX__MAPPER_IDS - 2, n);
	}
	for (unsigned i = 0; i < n; i++) {
		used[at + i] = true;
		v[i].id = (uint16_t)(at + i);
		calx__mapper_by_id[at + i] = &v[i];
	}
	pthread_mutex_unlock(&lock);
	*base = (uint16_t)at;
	return CALX_OK;
}

void calx__mapper_ids_give(uint16_t base, unsigned n)
{
	if (n == 0 || base == 0)
		return;
	pthread_mutex_lock(&lock);
	for (unsigned i = 0; i < n; i++) {
		used[base + i] = false;
		calx__mapper_by_id[base + i] = NULL;
	}
	pthread_mutex_unlock(&lock);
}
