/* placeholder until the module lands */ typedef int server_placeholder_t;
