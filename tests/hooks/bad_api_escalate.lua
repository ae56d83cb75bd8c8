-- chg.escalate misused: each one a diagnostic at its line, nothing recorded.
function on_portfolio(pf)
  chg.escalate(pf, "board", {})  -- a reason that is not a string
end
function on_programme(p)
  chg.escalate(p, "galaxy", "not a level of the escalation scale")
end
function on_risk(r)
  print("fake entity:", pcall(chg.escalate, {id = r.id, kind = "risk"}, "board"))
  print("no level:", pcall(chg.escalate, r))
  chg.escalate(r, 3, "a number as level")
end
function on_milestone(m)
  chg.escalate("alpha", "board", "a string as entity")
end
