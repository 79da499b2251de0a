#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common.h"
#include "graph.h"

#define BLOCK_CHILDREN 1024

struct graph_block {
	struct graph_block *next;
	struct bench_child items[BLOCK_CHILDREN];
};

int graph_parent_name(char *buf, size_t cap, long i)
{
	return snprintf(buf, cap, "parent %ld", i);
}

int graph_child_name(char *buf, size_t cap, long j)
{
	return snprintf(buf, cap, "child %ld", j);
}

uint64_t graph_check_loaded(const struct bench_parent *p)
{
	uint64_t sum = (uint64_t)p->id + (uint64_t)p->value + (p->name ? strlen(p->name) : 0);
	for (size_t k = 0; k < p->children.n; k++) {
		const struct bench_child *c = p->children.items[k];
		sum += (uint64_t)c->id + (uint64_t)c->parent_id + (uint64_t)c->value + (c->name ? strlen(c->name) : 0) +
		       (c->parent == p);
	}
	return sum;
}

uint64_t graph_check_inserted(const struct bench_parent *p)
{
	uint64_t sum = (uint64_t)p->id;
	for (size_t k = 0; k < p->children.n; k++) {
		const struct bench_child *c = p->children.items[k];
		sum += (uint64_t)c->id + (c->parent_id == p->id) + (c->parent == p);
	}
	return sum;
}

struct bench_child *graph_pool_child(graph_pool *pool)
{
	if (!pool->blocks || pool->used == BLOCK_CHILDREN) {
		struct graph_block *b = calloc(1, sizeof *b);
		if (!b)
			bench_die(NULL, "out of memory");
		b->next = pool->blocks;
		pool->blocks = b;
		pool->used = 0;
	}
	return &pool->blocks->items[pool->used++];
}

void graph_pool_free(graph_pool *pool)
{
	size_t n = pool->used;
	for (struct graph_block *b = pool->blocks, *next; b; b = next, n = BLOCK_CHILDREN) {
		next = b->next;
		for (size_t k = 0; k < n; k++)
			free(b->items[k].name);
		free(b);
	}
	pool->blocks = NULL;
	pool->used = 0;
}

void graph_append(struct bench_parent *p, struct bench_child *c)
{
	if (p->children.n == p->children.cap) {
		size_t cap = p->children.cap ? 2 * p->children.cap : 4;
		struct bench_child **items = realloc(p->children.items, cap * sizeof *items);
		if (!items)
			bench_die(NULL, "out of memory");
		p->children.items = items;
		p->children.cap = cap;
	}
	p->children.items[p->children.n++] = c;
}

void graph_free_parent(struct bench_parent *p)
{
	free(p->name);
	free(p->children.items);
}
