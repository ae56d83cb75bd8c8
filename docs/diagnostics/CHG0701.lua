function on_risk(r)
  if r.score >= 12 then
    chg.escalate(r, "board", "high score"
  end
end
