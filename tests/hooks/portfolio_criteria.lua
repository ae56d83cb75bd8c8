-- The portfolio's criteria are the worst of its top-level work's: each
-- read walked all the work, in C, charged as one field read, and the loop
-- below ran into the 30 s clock in the sanitizer build.  They are worked out again
-- only after a hook sets a status, and each read is a copy of its own.
local function show(criteria)
  local shown = {}
  for name, level in pairs(criteria) do shown[#shown + 1] = name .. "=" .. level end
  return table.concat(shown, " ")
end
function on_portfolio(pf)
  local criteria = pf.criteria
  print(show(criteria))
  criteria.overall = "changed by the hook"
  print(show(pf.criteria))
  chg.status(pf.children[#pf.children], "money", "red", "worse")
  print(show(pf.criteria))
  while true do local _ = pf.criteria end
end
