-- A table that grows without end: stopped by the memory cap, at this line.
local t = {}
local i = 0
while true do i = i + 1; t[i] = {i} end
