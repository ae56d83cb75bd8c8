-- A backtracking pattern that would take years on this subject: refused
-- before it runs, at this line.
local s = string.rep("a", 100000)
print(pcall(string.find, s, ".-.-.-.-b"))
local r = s:find(".-.-.-.-b")
