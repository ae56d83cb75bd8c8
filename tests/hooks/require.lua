-- require and package must not exist.
print("package:", package)
local ffi = require("ffi")
ffi.C.system("touch /tmp/chg-pwned-require")
