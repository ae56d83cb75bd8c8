-- A loop of few instructions that each copy a megabyte: the budget counts
-- instructions, but twelve million 1 MB copies take hours.
local s = string.rep("x", 2^20)
local n = 0
while true do local t = s .. n; n = n + 1 end
