function on_programme(p) chg.status(p, "overall", "red", "hook finds it red") end
function on_benefit(b)
  print("at_risk", b.at_risk, "parent status", b.parent.status)
  if not b.at_risk then chg.flag(b, "warning", "hook thinks benefit is safe") end
end
