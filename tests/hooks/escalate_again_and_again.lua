-- Half a million escalations of one programme, all but the first to a
-- level it already has, and a flag of each risk with one text.
function on_programme(p)
  chg.escalate(p, "portfolio", "first")
  for i = 1, 250000 do chg.escalate(p, "programme", "not more senior") end
  for i = 1, 250000 do chg.escalate(p, "portfolio", "the same level") end
end

function on_risk(r)
  chg.flag(r, "info", "seen by the hook")
end
