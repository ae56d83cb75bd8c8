-- A syntax error on line 5.
function on_risk(r)
  local x = r.score
  if x > 10 then
    x = = 2
  end
end
