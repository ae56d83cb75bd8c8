-- Garbage is not memory held: 16 MB kept and 16 MB of garbage per turn (1.6 GB in all) must
-- run within a 64 MB cap (Lua collects before it gives up).
local s = string.rep("x", 16 * 1024 * 1024)
for i = 1, 100 do
  local t = s .. i
end
print("done: garbage collected, cap not hit")
