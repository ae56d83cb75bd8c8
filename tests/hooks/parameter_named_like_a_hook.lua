-- A helper whose parameter is called on_programme: a callback, not a hook
-- function written `local`, so no CHG0706 for it; the local written so
-- below is one.
local function each_programme(pf, on_programme)
  for _, c in ipairs(pf.children) do
    if c.kind == "programme" then on_programme(c) end
  end
end
function on_portfolio(pf)
  each_programme(pf, function(p) chg.log("programme", p.path) end)
end
local first, on_risk = 1, function(r) end
