-- Two hundred 1 MB strings, each made and dropped: a few instructions each
-- by the count, a quarter of an instruction a byte with the charge for a
-- large block, which is what the kernel's pages cost in time. The budget
-- (50 million) runs out in the loop, though the count hook may not look
-- again before the flag: the flag must not be raised, and the budget is
-- said spent in the loop, at the allocation past it.
function on_portfolio(pf)
  local s = string.rep("x", 2^20 - 16)
  for i = 1, 200 do local t = s .. (i % 10) end
  chg.flag(pf, "warning", "200 MB of large blocks fitted in the budget")
end
