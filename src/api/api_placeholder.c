/* placeholder until the module lands */ typedef int api_placeholder_t;
