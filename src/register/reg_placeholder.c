/* placeholder so the register module links before its first real file; delete it then. */
int reg_placeholder(void);
int reg_placeholder(void) { return 0; }
