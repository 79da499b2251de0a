/*
 * "Did you mean": the known word nearest to a mistyped one, by the number
 * of single-character insertions, deletions, substitutions and swaps of
 * two neighbours (optimal string alignment distance), when it is near
 * enough to be a typo: at most 1 for words up to 4 characters, 2 beyond.
 */
#include <string.h>
#include "annot_int.h"

#define LONGEST 48

static unsigned distance(const char *a, size_t n, const char *b, size_t m)
{
	unsigned d[LONGEST + 1][LONGEST + 1];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (unsigned)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			unsigned cost = a[i - 1] != b[j - 1];
			unsigned best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[n][m];
}

const char *calxr__suggest(const char *word, size_t n, const char *const *known, size_t count)
{
	if (n == 0 || n > LONGEST)
		return NULL;
	unsigned limit = n <= 4 ? 1 : 2, best = limit + 1;
	const char *pick = NULL;
	for (size_t k = 0; k < count; k++) {
		size_t m = strlen(known[k]);
		if (m > LONGEST || (m > n ? m - n : n - m) > limit)
			continue;
		unsigned dist = distance(word, n, known[k], m);
		if (dist < best) {
			best = dist;
			pick = known[k];
		}
	}
	return pick;
}
