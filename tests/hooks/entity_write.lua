-- Entity views are read-only, by every route.
function on_programme(p)
  print("rawset:", pcall(rawset, p, "status", "red"))
  print("setmetatable:", pcall(setmetatable, p, nil))
  print("metatable:", getmetatable(p))
  print("metatable write:", pcall(function() getmetatable(p).__newindex = nil end))
  print("status still", p.status)
end
function on_risk(r)
  r.score = 1
end
