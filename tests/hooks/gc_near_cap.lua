-- With its memory held near the cap, every block a hook asks for is first
-- refused, and Lua collects everything before it asks again: a walk of all
-- 63 MB for each string of this loop.  Uncharged, the loop ran fifteen
-- seconds inside its budget; charged, it stops at its budget, at this line.
local hold, base = {}, collectgarbage("count")
while collectgarbage("count") - base < 63 * 1024 do hold[#hold + 1] = {} end
while true do local s = string.rep("x", 120000) end
