function on_programme(p)
  pcall(chg.flag, p, "warning", "flagged through pcall")
end
function on_risk(r)
  pcall(function() while true do end end)
  chg.flag(r, "warning", "flagged after the budget was spent")
end
