-- Error objects that are not messages: each diagnostic points at its line.
function on_portfolio(pf)
  error(nil)
end
function on_programme(p)
  error(42)
end
function on_risk(r)
  error({code = 1})
end
function on_milestone(m)
  error("raised at level 0, so without a position", 0)
end
function on_workstream(w)
  error(w)
end
