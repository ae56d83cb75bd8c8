-- %b has no quantifier, yet unanchored it is quadratic: a million "(" take
-- about 5*10^11 steps inside one C call.
local s = string.rep("(", 1000000)
local r = s:find("%b()")
