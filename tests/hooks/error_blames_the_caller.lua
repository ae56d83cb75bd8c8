local function check(x)
  if not x then error("missing", 2) end
end
function on_programme(p)
  check(p.sro)
end
