/* placeholder until the module lands */ typedef int http_placeholder_t;
