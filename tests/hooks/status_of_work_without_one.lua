function on_project(w)
  if w.status.risks == "red" then chg.flag(w, "warning", "risks are red") end
end

-- the advice, followed: nil where there is no such criterion
function on_programme(p)
  if p.criteria.risks == nil then chg.log("no risks criterion on " .. p.id) end
end
