/* The floor of any helper exec: a static program that does nothing. */
int main(void) { return 0; }
