-- This hook holds about 50 MB while it runs; once it is done it holds
-- nothing, so memory_second_hook.lua (next) may use 24 MB of the 64 MB.
keep = {}
for i = 1, 50 do keep[i] = string.rep("x", 1024 * 1024) .. i end
print("first hook holds", #keep, "MB")
