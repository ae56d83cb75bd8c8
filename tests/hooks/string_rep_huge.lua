-- string.rep past the memory cap in one allocation: once the limit is hit
-- nothing more runs, the print after the pcall that swallowed it included.
local ok, err = pcall(string.rep, "x", 2^31)
print("2^31 bytes:", ok, err)
local s = string.rep("x", 2^30)
print("length", #s)
