-- A malformed pattern is an error at the line that used it.
local s = "abc"
print(pcall(s.find, s, "%"))

local x = s:find("[a")
