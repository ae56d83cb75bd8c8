-- A loop at the bottom of a recursion 3,000 deep in a chunk load() made:
-- the hook file's line was looked for down the whole stack at every check
-- of the budget, each level walked to from the top (4.5 million steps a
-- check), so the budget was never spent and the clock stopped it after
-- thirty seconds.  The search now stops at 128 levels.
local r = load([[
local function r(n)
  if n == 0 then
    local i = 0
    while true do i = i + 1 end
  end
  local x = r(n - 1)
  return x
end
return r
]])()
r(3000)
