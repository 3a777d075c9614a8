/* placeholder until the module lands */ typedef int grievance_placeholder_t;
