-- An endless loop in on_risk: the budget is per file, so the first risk
-- spends it and the other risks are not run.
function on_risk(r)
  local n = 0
  while r do n = n + 1 end
end
