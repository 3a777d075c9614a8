/* placeholder so the ingest module links before its first real file; delete it then. */
int ing_placeholder(void);
int ing_placeholder(void) { return 0; }
