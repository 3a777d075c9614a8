/* placeholder until the module lands */ typedef int app_placeholder_t;
