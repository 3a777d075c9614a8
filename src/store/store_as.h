/* store_as: the storage interface of the assessment engine: methodologies, assessments, answers (issue 6); part of
 * the store module's interface (included by store.h, never on its own).
 */
#ifndef HRDD_STORE_AS_H
#define HRDD_STORE_AS_H

#endif
