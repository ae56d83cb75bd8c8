-- The budget is spent inside pcall and the chunk then ends quietly: the
-- limit was hit, so it must still be reported (and on_programme not run).
local ok = pcall(function() while true do end end)
function on_programme(p)
  print("on_programme ran for", p.id)
end
