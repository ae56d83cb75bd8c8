-- Patterns each cheap enough on their own, nested: the total is what must be
-- bounded (20,000 finds of about 2*10^8 steps each).
local s = string.rep("a", 20000)
local n = 0
s:gsub(".", function(c)
  n = n + 1
  return s:find("a-b") and "x" or c
end)
