-- This hook escalates risks: on_risk below is a coroutine, and
-- on_milestone is made from a name the file builds.
local x = 1
on_risk = coroutine.wrap(function(r) end)
local name = "on_" .. "milestone"
load(name .. " = function(m) chg.flag(m, 'warning', 'built name') end")()
