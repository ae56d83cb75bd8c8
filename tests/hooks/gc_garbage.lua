-- Garbage is not memory held: 16 MB kept and 16 MB of garbage per turn must
-- run within a 64 MB cap (Lua collects before it gives up).
local s = string.rep("x", 16 * 1024 * 1024)
for i = 1, 400 do
  local t = s .. i
end
print("done: garbage collected, cap not hit")
