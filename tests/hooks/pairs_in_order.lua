-- pairs in a fixed order, whatever Lua's hash seed
local units = {DoR = 1, TP = 2, MO = 3, SC = 4, FL = 5, [10] = 6, [2] = 7, [2.5] = 8, [true] = 9, [false] = 10}
local by_entity = {}
function on_risk(r)
  by_entity[r] = r.id
  if r.id ~= "r3" then return end
  local ids = {}
  for _, id in pairs(by_entity) do ids[#ids + 1] = id end
  print("entities", table.concat(ids, " "))
end
function on_portfolio(pf)
  local keys = {}
  for k in pairs(units) do keys[#keys + 1] = tostring(k) end
  print("keys", table.concat(keys, " "))
  local removed = {}
  for k in pairs(units) do
    if type(k) == "string" then units[k] = nil end
    removed[#removed + 1] = tostring(k)
  end
  print("emptied as walked", table.concat(removed, " "))
  local names = {}
  for k in pairs(math) do names[#names + 1] = k end
  print("math", table.concat(names, " "))
  print("random", math.random(1000), math.random(1000))
end
