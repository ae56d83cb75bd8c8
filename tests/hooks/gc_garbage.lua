-- Garbage is not memory held: 16 MB kept and 16 MB of garbage per turn
-- (128 MB in all, twice the cap) must run within a 64 MB cap (Lua collects
-- before it gives up), and within the instruction budget, which charges a
-- quarter instruction for each byte of a large block (36 million here).
local s = string.rep("x", 16 * 1024 * 1024)
for i = 1, 8 do
  local t = s .. i
end
print("done: garbage collected, cap not hit")
