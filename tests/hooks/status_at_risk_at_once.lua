-- gamma set red by a hook: its benefit at risk for the next hook to read
function on_programme(p)
  if p.id == "gamma" then chg.status(p, "overall", "red", "supplier failed") end
end
function on_benefit(b)
  print(b.id, "at risk:", b.at_risk, "programme:", b.parent.status)
end
