-- A finaliser (__gc) that never returns would hang chg when it closes Lua:
-- setmetatable refuses __gc, and one added afterwards is never called.
local ok, err = pcall(setmetatable, {}, {__gc = function() while true do end end})
print("setmetatable with __gc:", ok, err)
local mt = {}
local t = setmetatable({}, mt)
mt.__gc = function() while true do end end
t = nil
local t2 = setmetatable({}, {__gc = print})
