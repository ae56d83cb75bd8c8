-- A million switches into a coroutine and back: some ten instructions each
-- by the count, a hundred with the charge for the switch, which is what
-- they cost in time. The budget (50 million) runs out in the loop, and the
-- flag after it is never raised.
function on_portfolio(pf)
  local g = coroutine.wrap(function() while true do coroutine.yield(1) end end)
  for _ = 1, 1000000 do pcall(g) end
  chg.flag(pf, "warning", "a million switches fitted in the budget")
end
