/* placeholder until the module lands */ typedef int crypto_placeholder_t;
