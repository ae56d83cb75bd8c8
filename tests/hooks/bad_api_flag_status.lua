-- chg.flag and chg.status misused: each one a diagnostic at its line.
function on_portfolio(pf)
  chg.flag(pf, "fatal", "no such severity")
end
function on_programme(p)
  print("criterion not a string:", pcall(chg.status, p, {}, "red"))
  for _, i in ipairs(p.impacts) do print("status of an impact:", pcall(chg.status, i, "overall", "red")) end
  chg.status(p, "overall", "purple", "not a level of rag")
end
function on_risk(r)
  chg.status(r, "overall", "red", "a risk has no status")
end
function on_milestone(m)
  print("severity nil:", pcall(chg.flag, m, nil, "x"))
  chg.flag(m, "error", {"a table as message"})
end
