function on_programme(p)
  if p.status.overall == "red" then chg.flag(p, "warning", "never reached") end
end

function on_project(p)
  -- the criteria table is where a criterion is read; a title is a text
  chg.flag(p, "info", "overall " .. p.criteria.overall)
  return p.title.overall
end
