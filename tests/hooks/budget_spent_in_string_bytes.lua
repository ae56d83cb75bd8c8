-- string.byte, string.pack and string.unpack make a value an item in one
-- C call, which the instruction count does not see: s:byte(1, -1) of a
-- 900,000-character string in a loop ran until the thirty-second clock.
-- They are charged an instruction a value now; used as usual, they still
-- give what Lua gives.
function on_portfolio(pf)
  local s = string.rep("x", 100000)
  local n = 0
  for i = 1, #s do n = n + s:byte(i) end
  local a, b = ("ab"):byte(-2, -1)
  chg.flag(pf, "warning", "sum " .. n .. " " .. a .. " " .. b .. " " ..
    select("#", ("abc"):byte(1, -1)) .. " " .. string.unpack("i4", string.pack("i4", 7)))
end
function on_programme(p)
  local s = string.rep("x", 900000)
  while true do local a = s:byte(1, -1) end
end
