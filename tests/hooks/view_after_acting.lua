function on_programme(p)
  chg.status(p, "benefits", "red", "a benefit is behind its profile")
  -- a better level than the one written does not hide it: the worse stands
  chg.status(p, "overall", "green", "the hook thinks all is well")
  chg.log(p.id, "benefits", p.criteria.benefits, "overall", p.criteria.overall)
end
function on_portfolio(pf)
  chg.escalate(pf, "board", "the portfolio as a whole")
  chg.log("portfolio escalated to", pf.escalation)
end
