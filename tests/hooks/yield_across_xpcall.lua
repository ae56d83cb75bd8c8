-- xpcall and pairs are chg's own (a guarded message handler; keys in a
-- fixed order), and called on without a continuation: a yield inside them
-- failed, so that this generator's xpcall returned false ("attempt to
-- yield across a C-call boundary") and the generator ended early.
local numbers = coroutine.wrap(function()
  local ok, last = xpcall(function()
    coroutine.yield(1)
    coroutine.yield(2)
    return "done"
  end, function(e) return "handled: " .. e end)
  print("xpcall in a coroutine:", ok, last)
  return 3
end)
print("generated:", numbers(), numbers(), numbers())

local lazy = setmetatable({}, {__pairs = function()
  local value = coroutine.yield("asked for the table")
  return next, {value}, nil
end})
local walk = coroutine.create(function()
  for k, v in pairs(lazy) do print("pairs gave", k, v) end
  return "walked"
end)
print(coroutine.resume(walk))
print(coroutine.resume(walk, "the value"))
print(xpcall(error, function(e) return "handled: " .. e end, "an error"))
