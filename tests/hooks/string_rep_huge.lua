-- string.rep past the memory cap in one allocation.
local ok, err = pcall(string.rep, "x", 2^31)
print("2^31 bytes:", ok, err)
local s = string.rep("x", 2^30)
print("length", #s)
