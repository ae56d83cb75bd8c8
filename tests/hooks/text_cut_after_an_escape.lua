-- 4,095 letters, then an escape that ends past the 4,096 bytes kept
function on_programme(p)
  chg.flag(p, "warning", string.rep("a", 4095) .. "\n and more")
end
