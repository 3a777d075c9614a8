/* placeholder so the report module links before its first real file; delete it then. */
int rpt_placeholder(void);
int rpt_placeholder(void) { return 0; }
