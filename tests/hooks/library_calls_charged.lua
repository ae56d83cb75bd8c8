-- utf8.len of a megabyte scans it in one C call, which the instruction
-- count does not see: each call is charged 65,536 instructions first, so
-- the loop ends at the budget in under a second, not after hours.
local s = ("a"):rep(1 << 20)
local n = 0
for i = 1, 1000000 do n = n + utf8.len(s) end
print("never reached", n)
