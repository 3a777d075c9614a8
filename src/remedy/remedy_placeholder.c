/* placeholder until the module lands */ typedef int remedy_placeholder_t;
