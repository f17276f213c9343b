#include <cstdio>
int main() { std::puts("ftprep skeleton"); return 0; }
