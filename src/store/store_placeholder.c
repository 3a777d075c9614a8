/* placeholder until the module lands */ typedef int store_placeholder_t;
