-- package.loadlib must not be reachable: no C functions from shared libraries.
local system = package.loadlib("libc.so.6", "system")
system("touch /tmp/chg-pwned-loadlib")
