-- A message handler that never returns: handlers run while Lua raises the
-- error, so the budget must reach into them too.
function on_risk(r)
  local ok, err = xpcall(function() error("first") end, function(m) while true do end end)
  print("xpcall returned", ok)
end
