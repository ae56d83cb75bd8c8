-- string.unpack with a format of 900,000 items, in a loop: charged an
-- instruction an item of the format, so the budget ends it.
local f = string.rep("b", 900000)
local s = string.rep("x", 900000)
while true do local a = string.unpack(f, s) end
