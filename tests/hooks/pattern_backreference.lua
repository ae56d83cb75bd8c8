-- A back reference compares its capture, up to the whole subject, at each
-- step of the backtracking: `(.-)%1b` costs n^3, not the n^2 of one
-- quantifier.  Charged as n^2, each search took 65 times what it paid
-- for, and this loop ran six seconds inside its budget (eighteen in the
-- sanitizer build).  Now the search is refused, at this line.
local s = string.rep("a", 3700)
print(string.find("abcabc", "(abc)%1")) -- a short one still runs
while true do string.find(s, "(.-)%1b") end
