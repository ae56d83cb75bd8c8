-- load takes its chunk name, mode and environment as Lua does, and a
-- function that returns the source in pieces.
local named = load("return 'named'", "rules")
print("a chunk named:", named())
local moded = load("return tostring(1 + 1)", "rules", "t")
print("named, mode t:", moded())
print("named, mode b:", load("return 1", "rules", "b"))
print("an environment:", load("return x", "env", "t", {x = 7})())
local parts, i = {"return ", "40 ", "+ 2"}, 0
print("in pieces:", load(function() i = i + 1; return parts[i] end)())
print("a piece not text:", pcall(load, function() return {} end))
function on_programme(p) chg.flag(p, "info", "   ") end
