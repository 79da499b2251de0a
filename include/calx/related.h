/*
 * calx/related.h - relationships between session objects: many-to-one (a
 * pointer to a mapped struct), one-to-many (a CALX_LIST, calx/list.h),
 * one-to-one (a pointer with uselist(false): the key in the target's table)
 * and many-to-many (a CALX_LIST through a secondary table: append and remove
 * change both sides' loaded lists, and the flush writes the secondary's
 * rows from the difference with what was loaded or flushed).
 *
 * calx-reflect writes typed helpers over these calls for each relationship
 * (address.user, user.addresses):
 *   address_user(s, a, &u)              load if needed, then u = a->user
 *   address_set_user(s, a, u)           a->user = u, both sides kept in step
 *   user_addresses(s, u, &items, &n)    load if needed, then u->addresses
 *   user_addresses_append(s, u, a)      append, a->user = u
 *   user_addresses_remove(s, u, a)      remove, a->user = NULL (delete-orphan: a is deleted)
 * and a handle per relationship (ADDRESS_REL_USER, a const
 * calx_relationship_desc *).
 *
 * Loading. C cannot intercept a field read, so an unloaded relationship
 * reads as NULL or as an empty list: call the accessor (or
 * calx_related_load) before reading a relationship of an object the
 * session loaded. It loads once: a many-to-one through the identity map
 * first, then a get; a one-to-many by one SELECT of the children, each
 * row through the identity map. A relationship declared lazy("raise")
 * is never loaded this way: the call fails with CALX_ESTATE naming it.
 * lazy("noload") leaves it as it is (loaded, as the program set it).
 * A select can load a relationship for all its objects at once, with one
 * more statement (calx_select_load in calx/select.h, or lazy("selectin")).
 * An object the program created has its relationships loaded: what it
 * set is what they are.
 *
 * Flush. Adding an object adds the transient objects it reaches through
 * relationships with the save-update cascade (the default), as does a
 * flush for objects linked after the add. The pointer wins over the
 * foreign-key field: a child linked to a parent gets the parent's key in
 * its foreign-key columns at flush, after the parent's insert when the
 * database generates that key, and parents are inserted first. A pointer
 * set to NULL (or a child removed from its parent's list) sets the
 * foreign key NULL; a NOT NULL foreign key makes that flush fail with
 * CALX_ENOTNULL, unless the parent's side has cascade("delete-orphan"):
 * then the child is deleted. Rows of one flush that refer to each other
 * in a cycle are refused (CALX_ESTATE, naming the relationship) unless a
 * relationship of the cycle has post_update: its key is then written by
 * an UPDATE after the inserts, and set NULL by one before the deletes.
 *
 * Validity. Related objects are session objects: pointers and list items
 * are valid as long as the session, like every object it hands out. A
 * list's array lives in the session's arena too.
 */
#ifndef CALX_RELATED_H
#define CALX_RELATED_H

#include <stdbool.h>
#include "calx/session.h"
#include "calx/sys/descriptor.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Load rel of obj unless it is loaded: CALX_OK once loaded (the pointer
 * or the list is then what the database and the session hold),
 * CALX_ESTATE for lazy("raise"), or the error of the statement.
 */
int calx_related_load(calx_session *s, void *obj, const calx_relationship_desc *rel);
/* Is rel of obj loaded (or set by the program)? false for an object of another session. */
bool calx_related_is_loaded(calx_session *s, const void *obj, const calx_relationship_desc *rel);
/*
 * Many-to-one: obj's rel = target (NULL allowed). The other side's list,
 * if loaded, follows: obj leaves its old parent's list and joins target's
 * (a one-to-one's pointer follows the same way, and the child target had
 * is unlinked). Set to NULL, a child whose parent's side has
 * cascade("delete-orphan") is deleted (at the next flush).
 * One-to-one: obj's rel = target (NULL allowed), loaded first unless it
 * is loaded; the previous child is unlinked (its key NULL at flush) or,
 * with delete-orphan, deleted.
 */
int calx_related_set(calx_session *s, void *obj, const calx_relationship_desc *rel, void *target);
/*
 * One-to-many or many-to-many: append item to obj's list (loading the list first unless
 * it is loaded, or noload); item's back-reference, if any, becomes obj.
 * Appending an item already in the list does nothing. An item moves from
 * its old parent's loaded list.
 */
int calx_related_append(calx_session *s, void *obj, const calx_relationship_desc *rel, void *item);
/*
 * One-to-many or many-to-many: remove item from obj's list; its
 * back-reference becomes NULL (many-to-many: obj leaves item's list). With cascade("delete-orphan") item is deleted (at the next flush).
 * CALX_ENOTFOUND if absent.
 */
int calx_related_remove(calx_session *s, void *obj, const calx_relationship_desc *rel, void *item);

#ifdef __cplusplus
}
#endif

#endif /* CALX_RELATED_H */
