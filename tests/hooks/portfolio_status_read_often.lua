-- 300,000 reads of the portfolio's status, and one after a status is set
function on_portfolio(pf)
  for i = 1, 300000 do
    if pf.status ~= "amber" then chg.flag("error", "the portfolio read as " .. tostring(pf.status)) end
  end
end

function on_project(p)
  if p.id == "p2999" then
    chg.status(p, "overall", "red", "set by the hook")
    if p.parent.status ~= "red" then chg.flag("error", "a status set was not seen") end
  end
end
