/* store_tr: the storage interface of transparency: statements of reasons, per-day aggregates, government requests (issue 5); part of
 * the store module's interface (included by store.h, never on its own).
 */
#ifndef HRDD_STORE_TR_H
#define HRDD_STORE_TR_H

#endif
