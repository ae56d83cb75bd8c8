function on_risk(r)
  local s = string.rep("x", 2e7)
  local ok, e = pcall(string.format, "%s%s%s%s", s, s, s, s) -- the limit is hit here
  chg.flag(r, "error", "format caught: " .. tostring(e))
end
function on_milestone(m) chg.flag(m, "error", "milestone hook still ran") end
