-- A flood of 1 MB flags: what chg keeps for a hook is bounded too (it must
-- not exhaust chg's own memory, outside the Lua cap).
function on_risk(r)
  local message = string.rep("x", 1000000)
  while true do chg.flag(r, "info", message) end
end
