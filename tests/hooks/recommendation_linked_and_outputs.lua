function on_recommendation(r)
  local names = {}
  for _, l in ipairs(r.linked) do names[#names + 1] = l.id end
  chg.flag(r, "warning", #r.output .. " outputs (" .. r.outputs .. "): " .. table.concat(r.output, "; ") .. "; linked " .. table.concat(names, ", ") .. "; same view " .. tostring(r.linked[1] == r.parent.children[1]))
end
