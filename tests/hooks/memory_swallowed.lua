-- A refused allocation caught with pcall, then the chunk ends quietly: the
-- memory limit was hit, so it must still be reported (and on_programme not run).
local ok = pcall(string.rep, "x", 2^30)
function on_programme(p)
  print("on_programme ran for", p.id)
end
