/* placeholder so the assess module links before its first real file; delete it then. */
int asm_placeholder(void);
int asm_placeholder(void) { return 0; }
