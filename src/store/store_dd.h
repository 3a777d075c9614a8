/* store_dd: the storage interface of the due diligence register (issue 4); part of
 * the store module's interface (included by store.h, never on its own).
 */
#ifndef HRDD_STORE_DD_H
#define HRDD_STORE_DD_H

#endif
