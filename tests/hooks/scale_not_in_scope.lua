-- Each call needs a scale no `use` brought in.
function on_programme(p)
  chg.status(p, "overall", "red", "Needs std.rag")
end
function on_risk(r)
  chg.escalate(r, "board", "Needs std.escalation")
end
