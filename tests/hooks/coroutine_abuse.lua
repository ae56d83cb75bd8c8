-- coroutine misuse: each refused or contained; then a generator that never ends.
local function nest(n)
  return coroutine.wrap(function() if n > 0 then return nest(n - 1)() end return n end)
end
local ok, err = pcall(function() return nest(100000)() end)
print("100,000 nested coroutines:", ok, (tostring(err):match("C stack overflow")))
local co
co = coroutine.wrap(function() return co() end)
print("resume itself:", pcall(co))
print("yield from the main chunk:", pcall(coroutine.yield, 1))
print("close the running one:", pcall(coroutine.close, coroutine.running()))
local dead = coroutine.wrap(function() end)
dead()
print("resume a dead one:", pcall(dead))
print("yield across pcall:", coroutine.wrap(function() return pcall(coroutine.yield, "through") end)())
print("yield across a C call:", pcall(coroutine.wrap(function() return ("x"):gsub("x", coroutine.yield) end)))
for v in coroutine.wrap(function() while true do coroutine.yield(1) end end) do end
