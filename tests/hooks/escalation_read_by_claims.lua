function on_risk(r)
  if r.id == "r2" then chg.escalate(r, "board", "The SRO asked for it") end
end
