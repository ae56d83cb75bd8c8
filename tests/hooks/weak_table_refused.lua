local N = 250000
local e = setmetatable({}, {__mode = "k"})
local keys = {}
for i = 1, N do keys[i] = {} end
for i = 1, N - 1 do e[keys[i]] = keys[i + 1] end
