/* placeholder until the module lands */ typedef int core_placeholder_t;
