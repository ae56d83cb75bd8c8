function on_programe(p)
  chg.flag(p, "error", "never runs")
end
function on_unit(u) end
local function on_helper() end
on_risk = function(r) end
