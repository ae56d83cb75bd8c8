-- Reading r.path in a loop: each read must not leave memory behind in chg,
-- outside the Lua cap; the budget ends the loop.
function on_risk(r)
  while true do local path = r.path end
end
