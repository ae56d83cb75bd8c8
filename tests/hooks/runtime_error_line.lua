-- A runtime error in a helper called from on_programme: the diagnostic
-- points at the line that failed (no budget is given, so budget is nil).
local function budget_in_pounds(p)
  return p.budget / 100
end

function on_programme(p)
  local share = budget_in_pounds(p) * 2
  chg.flag(p, "info", "share " .. share)
end
