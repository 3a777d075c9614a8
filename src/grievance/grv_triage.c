/* grv_triage: severity and priority of a grievance (UNGP 14 and 24:
 * severity = scale, scope and irremediable character; the most severe
 * impacts first).
 *
 * Each dimension is scored 1-5 against the rubric in rubric.md (message
 * keys "grv.rubric.<dimension>.<level>"); 0 in all three means "not
 * triaged yet". Severity = the sum, 3-15. Priority 1 (first) to 4:
 *   urgent (imminent harm)           -> 1, whatever the scores
 *   severity 12-15 -> 1, 9-11 -> 2, 6-8 -> 3, 3-5 -> 4, untriaged -> 3
 *   a vulnerable group raises the result one level (never above 1).
 * Queues: priority ascending, severity descending, nearest due clock.
 */
#include "grievance/grievance.h"

#include <string.h>

static int in_range(int v)
{
    return v >= 1 && v <= 5;
}

int grv_triage_valid(const grv_triage *t)
{
    if (!t)
        return 0;
    if ((t->urgent != 0 && t->urgent != 1) || (t->vulnerable != 0 && t->vulnerable != 1))
        return 0;
    if (t->scale == 0 && t->scope == 0 && t->irremediable == 0)
        return 1;
    return in_range(t->scale) && in_range(t->scope) && in_range(t->irremediable);
}

int grv_severity(const grv_triage *t)
{
    if (!t || !grv_triage_valid(t))
        return 0;
    return t->scale + t->scope + t->irremediable;
}

int grv_priority(const grv_triage *t)
{
    if (!t)
        return 3;
    if (t->urgent)
        return 1;
    int sev = grv_severity(t);
    int p;
    if (sev == 0)
        p = 3;
    else if (sev >= 12)
        p = 1;
    else if (sev >= 9)
        p = 2;
    else if (sev >= 6)
        p = 3;
    else
        p = 4;
    if (t->vulnerable && p > 1)
        p--;
    return p;
}

int grv_queue_cmp(const grv_triage *a, int64_t due_a, const grv_triage *b, int64_t due_b)
{
    int pa = grv_priority(a), pb = grv_priority(b);
    if (pa != pb)
        return pa < pb ? -1 : 1;
    int sa = grv_severity(a), sb = grv_severity(b);
    if (sa != sb)
        return sa > sb ? -1 : 1;
    if (due_a != due_b) {
        if (due_a == 0)
            return 1;
        if (due_b == 0)
            return -1;
        return due_a < due_b ? -1 : 1;
    }
    return 0;
}

static const char *const rubric_keys[3][5] = {
    {"grv.rubric.scale.1", "grv.rubric.scale.2", "grv.rubric.scale.3", "grv.rubric.scale.4",
     "grv.rubric.scale.5"},
    {"grv.rubric.scope.1", "grv.rubric.scope.2", "grv.rubric.scope.3", "grv.rubric.scope.4",
     "grv.rubric.scope.5"},
    {"grv.rubric.irremediable.1", "grv.rubric.irremediable.2", "grv.rubric.irremediable.3",
     "grv.rubric.irremediable.4", "grv.rubric.irremediable.5"},
};

const char *grv_rubric_key(const char *dimension, int level)
{
    if (!dimension || level < 1 || level > 5)
        return NULL;
    int d;
    if (strcmp(dimension, "scale") == 0)
        d = 0;
    else if (strcmp(dimension, "scope") == 0)
        d = 1;
    else if (strcmp(dimension, "irremediable") == 0)
        d = 2;
    else
        return NULL;
    return rubric_keys[d][level - 1];
}
