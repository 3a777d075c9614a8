/* web_retention: the staff page of the organisation's retention policy
 * (/retention): see web_retention.c. */
#ifndef HRDD_WEB_RETENTION_H
#define HRDD_WEB_RETENTION_H

#include "http/http.h"

int web_handle_retention(http_req *req);       /* GET: org_read */
int web_handle_retention_set(http_req *req);   /* POST: org_manage (admin) */

#endif
