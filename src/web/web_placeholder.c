/* placeholder until the module lands */ typedef int web_placeholder_t;
