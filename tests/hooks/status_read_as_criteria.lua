function on_programme(p)
  -- read as an expression reads it: the status, then one criterion of it
  if p.status.overall == "red" and p.status.risks == "amber" and p.status.nothing == nil then
    chg.flag(p, "warning", "overall red, risks amber")
  end
end

function on_project(p)
  -- the criteria table is where a criterion is read too; a status read
  -- before another entity's is no longer the one a field of it reads,
  -- and a title is a text
  local mine = p.status
  local other = p.parent.status
  chg.flag(p, "info", "overall " .. p.criteria.overall .. " " .. mine .. " " .. other)
  print(pcall(function() return mine.overall end))
  return p.title.overall
end
