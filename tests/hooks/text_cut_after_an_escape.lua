-- 4,095 letters, then an escape that would end past the 4,096 bytes kept:
-- not begun, so the text kept is never longer than 4,096 bytes
function on_programme(p)
  chg.flag(p, "warning", string.rep("a", 4095) .. "\n and more")
end
