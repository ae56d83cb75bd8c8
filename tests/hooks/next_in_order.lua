-- `next` walks a table in the order `pairs` does, not in the order of
-- Lua's string hashes, which it seeds afresh in every run: the same
-- keys in the same order in every run.
local t = {alpha = 1, beta = 2, gamma = 3, delta = 4, epsilon = 5, zeta = 6, eta = 7, theta = 8, [3] = "x", [1] = "y"}
local order = {}
local k = next(t)
while k do order[#order + 1] = tostring(k); k = next(t, k) end
-- a key set to nil during the walk is passed over, as Lua's next does
local u = {a = 1, b = 2, c = 3}
local seen = {}
k = next(u)
while k do
  seen[#seen + 1] = k
  u.b = nil
  k = next(u, k)
end
local ok, err = pcall(next, {a = 1}, "zz")
function on_programme(p)
  chg.flag(p, "warning", "keys " .. table.concat(order, ",") .. "; " .. table.concat(seen, ",") ..
    "; empty " .. tostring(next({})) .. "; " .. tostring(ok) .. " " .. tostring(err))
end
