-- `!=` as C, JavaScript and Python write it
function on_risk(r)
  if r.score != 16 then
    chg.flag(r, "info", "not sixteen")
  end
end
